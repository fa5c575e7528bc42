import FreshetCore

/// The join of two streams within windows in a continuous query (SELECT STREAM
/// … FROM a [OVER (…)] JOIN b [OVER (…)]). (A stream joined with a reference
/// table is a plain `.join` source, see `StreamTableJoinOperator`.)
///
/// The joined row is `join`'s row (left ++ right ++ merged USING columns)
/// followed by one more column, the joined row's ROWTIME (`rowtimeIndex`):
/// for a pair the later of the two; for an unmatched outer row the moment it
/// became unmatched (its ROWTIME + its side's window). The
/// unqualified name `ROWTIME` reaches that column; `o.ROWTIME` each side's own.
///
/// Window semantics (SQL.md "Joins"): a side's window (`OVER (RANGE INTERVAL
/// … PRECEDING)`, 0 when it has none) is how long that side's rows stay
/// joinable. Rows `l` and `r` are paired when the ON condition holds and
/// `-leftWindow <= l.ROWTIME - r.ROWTIME <= rightWindow` (bounds inclusive):
/// a row meets the other side's rows from that side's window before it.
public struct StreamJoinPlan: Sendable {
    /// One side of the join.
    public struct Input: Sendable {
        public var relation: RelationDescriptor
        /// RANGE … PRECEDING of a stream side, in microseconds (nil: no OVER).
        public var windowMicros: Int64?
        public init(relation: RelationDescriptor, windowMicros: Int64?) {
            self.relation = relation
            self.windowMicros = windowMicros
        }
        public var isStream: Bool { relation.kind == .stream }
        /// ROWTIME's position in this side's row (streams only).
        public var rowtimeColumn: Int? { isStream ? relation.userColumnCount : nil }
    }
    /// The join itself (keys, residual, USING columns); its sources are the two relations.
    public var join: JoinPlan
    public var left: Input
    public var right: Input
    public init(join: JoinPlan, left: Input, right: Input) {
        self.join = join
        self.left = left
        self.right = right
    }

    /// Both sides are streams (the binder plans nothing else this way).
    public var isStreamStream: Bool { left.isStream && right.isStream }
    /// Position of the joined row's ROWTIME.
    public var rowtimeIndex: Int { join.width }
    /// Width of a joined row.
    public var width: Int { join.width + 1 }
    /// The streams the query reads, in input order (`StreamingPipeline.push(_:input:)`).
    public var streams: [RelationDescriptor] { [left, right].filter(\.isStream).map(\.relation) }

    /// The joined row described as a stream whose ROWTIME is the joined ROWTIME (its user
    /// columns are everything before it), for planning windows and ORDER BY after the join.
    public var joinedRelation: RelationDescriptor {
        var columns = left.relation.columns + right.relation.columns
        columns += join.merged.enumerated().map { Column(name: "merged\($0.offset + 1)", type: $0.element.type) }
        columns.append(Column(name: "rowtime", type: .timestamp, nullable: false))
        return RelationDescriptor(oid: 0, schemaName: left.relation.schemaName,
                                  name: "\(left.relation.alias ?? left.relation.name) ⋈ \(right.relation.alias ?? right.relation.name)",
                                  kind: .stream, columns: columns, userColumnCount: join.width)
    }
}
