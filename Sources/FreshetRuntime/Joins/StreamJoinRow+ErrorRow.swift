import FreshetCore

extension StreamJoinRow {
    /// The joined row of `l` and `r` as reported with an error (`JoinedRowErrorHandler`):
    /// `l ++ r ++` the USING columns `++ rowtime`. A USING column that cannot be computed
    /// (the error may be its own) is NULL, so the report always has the joined row's shape.
    func errorRow(_ l: Row, _ r: Row, rowtime: Int64) -> Row {
        var row = l
        row.reserveCapacity(width)
        row.append(contentsOf: r)
        let base = row
        for m in merged { row.append((try? m(base)) ?? .null) }
        row.append(.timestamp(rowtime))
        return row
    }
}
