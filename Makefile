# VariationalReasoning: build, demo, tests and benchmarks on a Debian machine.
#
#   make demo    install what is missing, build, and run the built-in default job
#   make test    install what is missing and run every check CI runs: lint, the Swift tests, every C kernel
#                version against references (the aarch64 build under qemu-user), the command-line checks, a
#                Python worker written from docs/protocol.md training a learner, the deploy/ files against the
#                binary's flags, and the multi-host test in network namespaces (skipped, saying why, where
#                namespaces cannot be made)
#   make bench   measure training and sampling throughput (vr bench)

SWIFT ?= swift
# Debian packages the build, the tests and the demo need.
DEBIAN_PACKAGES := pkg-config libopenblas-dev libzmq3-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler python3-venv \
	librsvg2-bin libopenmpi-dev openmpi-bin \
	iproute2 gcc-aarch64-linux-gnu qemu-user
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# One release build with testability serves the tests and the command-line checks.
TEST_FLAGS := -c release -Xswiftc -enable-testing
RELEASE_BIN := .build/release/vr
RUN_DIR ?= runs/demo

.PHONY: deps build test demo bench format lint

deps:
	@missing=$$(for package in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || echo $$package; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product vr

demo: build
	$(RELEASE_BIN) demo --run $(RUN_DIR)

bench: build
	$(RELEASE_BIN) bench

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift
	bash scripts/check-sizes.sh
	bash scripts/check-architecture.sh
	bash scripts/check-equations.sh
	bash scripts/generate-protos.sh --check

format:
	$(SWIFT) format --in-place -r Sources Tests Package.swift

test: deps lint
	$(SWIFT) build $(TEST_FLAGS) --build-tests
	VR_SMOLLM2="$$(bash scripts/fetch-smollm2.sh)" $(SWIFT) test $(TEST_FLAGS) --skip-build
	bash scripts/check-kernels.sh
	VR_SMOLLM2="$$(bash scripts/fetch-smollm2.sh)" bash scripts/check-cli.sh $(RELEASE_BIN)
	bash scripts/check-python-worker.sh $(RELEASE_BIN)
	.build/python-venv/bin/python scripts/check-deploy.py $(RELEASE_BIN)
	.build/python-venv/bin/python scripts/check-deploy.py $(RELEASE_BIN) --self-test
	bash scripts/check-netns.sh $(RELEASE_BIN)
