/// An enclosing query as a subquery's binder sees it: its columns, its
/// grouping when the subquery is evaluated over grouped rows (then only GROUP
/// BY columns are reachable), and whether the subquery referred to it (which
/// makes it correlated).
struct OuterLevel {
    var scope: Scope
    var grouping: GroupingContext?
    var referenced = false
}
