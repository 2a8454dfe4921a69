// Out-of-place matrix transposition, blocked for the cache and split across the compute pool.

/// Matrix transposition.
public enum Transpose {
    /// Writes the transpose of `source` into `destination`: `destination[j, i] = source[i, j]`.
    /// - Parameters:
    ///   - source: `[rows, columns]`, row-major.
    ///   - destination: `[columns, rows]`, row-major, overwritten; must not overlap `source`.
    ///   - rows: rows of `source`.
    ///   - columns: columns of `source`.
    public static func copy(
        _ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, rows: Int, columns: Int
    ) {
        let tile = 32
        let rowTiles = (rows + tile - 1) / tile
        ComputePool.shared.forEachRange(rowTiles, minimumPerSlice: 4) { tiles in
            for rowTile in tiles {
                let rowRange = (rowTile * tile)..<min(rows, rowTile * tile + tile)
                var columnStart = 0
                while columnStart < columns {
                    let columnEnd = min(columns, columnStart + tile)
                    for row in rowRange {
                        for column in columnStart..<columnEnd {
                            destination[column * rows + row] = source[row * columns + column]
                        }
                    }
                    columnStart = columnEnd
                }
            }
        }
    }
}
