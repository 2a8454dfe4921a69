// A standalone SVG 1.1 document assembled from strings: shapes and escaped text, with coordinates written to one
// decimal so that the same chart always gives the same bytes.

/// An SVG document under construction.
struct SVGDocument {
    /// Width in pixels.
    let width: Double
    /// Height in pixels.
    let height: Double
    private var elements: [String]

    /// Starts a document with a white background and `title` as its accessible name.
    init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        elements = [
            "<title>\(Self.escaped(title))</title>",
            "<rect x=\"0\" y=\"0\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"#ffffff\"/>",
        ]
    }

    /// The document's text.
    var rendered: String {
        let (width, height) = (ReportFormat.count(width), ReportFormat.count(height))
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" \
            font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
            \(elements.joined(separator: "\n"))
            </svg>

            """
    }

    /// Adds a straight line.
    mutating func line(
        from start: (x: Double, y: Double), to end: (x: Double, y: Double), stroke: String,
        width: Double = 1, dash: String? = nil
    ) {
        elements.append(
            "<line x1=\"\(Self.number(start.x))\" y1=\"\(Self.number(start.y))\" x2=\"\(Self.number(end.x))\" "
                + "y2=\"\(Self.number(end.y))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\""
                + Self.dashAttribute(dash) + "/>")
    }

    /// Adds a filled rectangle, translucent when `opacity` is below 1.
    mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: String, opacity: Double = 1) {
        elements.append(
            "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" "
                + "height=\"\(Self.number(height))\" fill=\"\(fill)\"" + Self.opacityAttribute("fill-opacity", opacity)
                + "/>")
    }

    /// Adds an open line through `points`, translucent when `opacity` is below 1.
    mutating func polyline(
        _ points: [(x: Double, y: Double)], stroke: String, width: Double, dash: String?, opacity: Double = 1
    ) {
        elements.append(
            "<polyline points=\"\(Self.pointList(points))\" fill=\"none\" stroke=\"\(stroke)\" "
                + "stroke-width=\"\(Self.number(width))\" stroke-linejoin=\"round\"" + Self.dashAttribute(dash)
                + Self.opacityAttribute("stroke-opacity", opacity) + "/>")
    }

    /// Adds a closed, translucent area bounded by `points`.
    mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, opacity: Double) {
        elements.append(
            "<polygon points=\"\(Self.pointList(points))\" fill=\"\(fill)\" fill-opacity=\"\(Self.number(opacity))\" "
                + "stroke=\"none\"/>")
    }

    /// Adds a small filled circle.
    mutating func circle(at center: (x: Double, y: Double), radius: Double, fill: String) {
        elements.append(
            "<circle cx=\"\(Self.number(center.x))\" cy=\"\(Self.number(center.y))\" r=\"\(Self.number(radius))\" "
                + "fill=\"\(fill)\"/>")
    }

    /// Adds escaped text anchored at `position`, turned by `rotation` degrees about it.
    mutating func text(
        _ content: String, at position: (x: Double, y: Double), size: Double = 12, anchor: String = "start",
        bold: Bool = false, rotation: Double = 0
    ) {
        let turn = "rotate(\(Self.number(rotation)) \(Self.number(position.x)) \(Self.number(position.y)))"
        let transform = rotation == 0 ? "" : " transform=\"\(turn)\""
        elements.append(
            "<text x=\"\(Self.number(position.x))\" y=\"\(Self.number(position.y))\" font-size=\"\(Self.number(size))\" "
                + "text-anchor=\"\(anchor)\" fill=\"#222222\"" + (bold ? " font-weight=\"bold\"" : "") + transform
                + ">\(Self.escaped(content))</text>")
    }

    /// `value` with one decimal, without a sign on zero.
    static func number(_ value: Double) -> String {
        ReportFormat.fixed(value, decimals: 1)
    }

    /// `text` with the five XML special characters replaced by entities.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func pointList(_ points: [(x: Double, y: Double)]) -> String {
        points.map { "\(number($0.x)),\(number($0.y))" }.joined(separator: " ")
    }

    private static func opacityAttribute(_ name: String, _ opacity: Double) -> String {
        opacity < 1 ? " \(name)=\"\(ReportFormat.fixed(opacity, decimals: 2))\"" : ""
    }

    private static func dashAttribute(_ dash: String?) -> String {
        dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    }
}
