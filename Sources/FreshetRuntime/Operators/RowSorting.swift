import FreshetCore
import FreshetPlanner

extension Array where Element == Row {
    /// These rows sorted by `keys` (ORDER BY: ascending/descending, NULLS FIRST/LAST),
    /// stably: rows equal on every key keep their arrival order. Shared by the bounded
    /// sort and the streaming (T-sorted) ORDER BY.
    func sortedStably(by keys: [SortKey]) -> [Row] {
        enumerated().sorted { a, b in
            for k in keys {
                let x = a.element[k.column], y = b.element[k.column]
                if x.isNull || y.isNull {
                    if x.isNull && y.isNull { continue }
                    return x.isNull == k.nullsFirst
                }
                let c = Value.sortCompare(x, y)
                if c != 0 { return k.ascending ? c < 0 : c > 0 }
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
