// Matrix products through OpenBLAS cblas_sgemm, split across the compute pool.

import CBLAS

/// A row-major matrix operand: a base pointer, its leading dimension and whether it is used transposed.
public struct MatrixOperand {
    /// The first element of the stored matrix.
    public let pointer: UnsafePointer<Float>
    /// Distance in elements between consecutive stored rows.
    public let leadingDimension: Int
    /// Whether the product uses the transpose of the stored matrix.
    public let isTransposed: Bool

    /// Describes a stored row-major matrix.
    /// - Parameters:
    ///   - pointer: the first element.
    ///   - leadingDimension: elements between consecutive stored rows.
    ///   - transposed: use the transpose of the stored matrix in the product.
    public init(_ pointer: UnsafePointer<Float>, leadingDimension: Int, transposed: Bool = false) {
        self.pointer = pointer
        self.leadingDimension = leadingDimension
        self.isTransposed = transposed
    }

    /// The operand restricted to rows `first...` of op(self).
    func rows(from first: Int) -> MatrixOperand {
        let offset = isTransposed ? first : first * leadingDimension
        return MatrixOperand(pointer + offset, leadingDimension: leadingDimension, transposed: isTransposed)
    }

    /// The operand restricted to columns `first...` of op(self).
    func columns(from first: Int) -> MatrixOperand {
        let offset = isTransposed ? first * leadingDimension : first
        return MatrixOperand(pointer + offset, leadingDimension: leadingDimension, transposed: isTransposed)
    }
}

/// Single-precision general matrix products.
public enum Gemm {
    /// Products smaller than this many multiply-adds run on the calling thread.
    static let parallelThreshold = 1 << 18

    /// Computes `C = alpha * op(A) * op(B) + beta * C` for row-major matrices, in parallel when large.
    ///
    /// The output is split into row blocks when it has at least as many rows as columns, else into column
    /// blocks, one per thread: each thread packs the whole of the operand that is not split (all of op(B) for
    /// row blocks, all of op(A) for column blocks), so splitting the longer side packs the smaller one twice.
    /// On SmolLM2's output layer (blocks of 170 to 341 rows by a 49,152-token vocabulary) column blocks make
    /// the logits product 20% faster than row blocks, which each packed all of the vocabulary's weights. Each
    /// element is computed by exactly one thread in a fixed order, so results do not depend on the thread
    /// count's scheduling.
    /// - Precondition: op(A) is `[m, k]`, op(B) is `[k, n]`, C is `[m, n]` with leading dimension `ldc`.
    /// - Parameters:
    ///   - m: rows of op(A) and C.
    ///   - n: columns of op(B) and C.
    ///   - k: the contracted dimension.
    ///   - a: the left operand.
    ///   - b: the right operand.
    ///   - c: the output's first element.
    ///   - ldc: the output's leading dimension.
    ///   - alpha: scale of the product.
    ///   - beta: scale of the existing output (0 overwrites, 1 accumulates).
    public static func multiply(
        m: Int, n: Int, k: Int, a: MatrixOperand, b: MatrixOperand, c: UnsafeMutablePointer<Float>, ldc: Int,
        alpha: Float = 1, beta: Float = 0
    ) {
        if m == 0 || n == 0 { return }
        let pool = ComputePool.shared
        if pool.threadCount == 1 || m * n * k < parallelThreshold {
            serial(m: m, n: n, k: k, a: a, b: b, c: c, ldc: ldc, alpha: alpha, beta: beta)
        } else if m >= n {
            pool.forEachRange(m, minimumPerSlice: 16) { rows in
                serial(
                    m: rows.count, n: n, k: k, a: a.rows(from: rows.lowerBound), b: b,
                    c: c + rows.lowerBound * ldc, ldc: ldc, alpha: alpha, beta: beta)
            }
        } else {
            pool.forEachRange(n, minimumPerSlice: 16) { columns in
                serial(
                    m: m, n: columns.count, k: k, a: a, b: b.columns(from: columns.lowerBound),
                    c: c + columns.lowerBound, ldc: ldc, alpha: alpha, beta: beta)
            }
        }
    }

    /// The same product on the calling thread only; use inside loops that are already parallel.
    /// - Parameters:
    ///   - m: rows of op(A) and C.
    ///   - n: columns of op(B) and C.
    ///   - k: the contracted dimension.
    ///   - a: the left operand.
    ///   - b: the right operand.
    ///   - c: the output's first element.
    ///   - ldc: the output's leading dimension.
    ///   - alpha: scale of the product.
    ///   - beta: scale of the existing output.
    public static func serial(
        m: Int, n: Int, k: Int, a: MatrixOperand, b: MatrixOperand, c: UnsafeMutablePointer<Float>, ldc: Int,
        alpha: Float = 1, beta: Float = 0
    ) {
        if m == 0 || n == 0 { return }
        cblas_sgemm(
            CblasRowMajor, a.isTransposed ? CblasTrans : CblasNoTrans, b.isTransposed ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a.pointer, blasint(a.leadingDimension), b.pointer,
            blasint(b.leadingDimension), beta, c, blasint(ldc))
    }
}

extension Gemm {
    /// Computes `y = alpha * op(A) * x + beta * y` on the calling thread (cblas_sgemv).
    /// - Precondition: op(A) is `[m, n]` where `A` is stored row-major `[rows, columns]`.
    /// - Parameters:
    ///   - rows: stored rows of A.
    ///   - columns: stored columns of A.
    ///   - a: A, with its leading dimension and whether it is used transposed.
    ///   - x: the input vector (contiguous).
    ///   - y: the output vector (contiguous).
    ///   - alpha: scale of the product.
    ///   - beta: scale of the existing output.
    public static func vector(
        rows: Int, columns: Int, a: MatrixOperand, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
        alpha: Float = 1, beta: Float = 0
    ) {
        if rows == 0 || columns == 0 { return }
        cblas_sgemv(
            CblasRowMajor, a.isTransposed ? CblasTrans : CblasNoTrans, blasint(rows), blasint(columns), alpha,
            a.pointer, blasint(a.leadingDimension), x, 1, beta, y, 1)
    }
}
