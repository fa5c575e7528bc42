import FreshetCore

/// A RowStream over rows already computed (bounded queries, SHOW, RETURNING).
final class MaterializedRowStream: RowStream {
    let columns: [ResultColumn]
    private var rows: [Row]
    private var position = 0
    private let tagPrefix: String
    private let fixedTag: String?

    init(columns: [ResultColumn], rows: [Row], tagPrefix: String = "SELECT", tag: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.tagPrefix = tagPrefix
        self.fixedTag = tag
    }

    func next(maxRows: Int) async throws -> [Row]? {
        guard position < rows.count else { return nil }
        let end = min(rows.count, position + max(1, maxRows))
        let batch = Array(rows[position..<end])
        position = end
        return batch
    }

    var commandTag: String { fixedTag ?? "\(tagPrefix) \(position)" }

    func close() { rows = [] }
}
