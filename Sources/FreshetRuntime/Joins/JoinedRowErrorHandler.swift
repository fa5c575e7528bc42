import FreshetCore

/// Called for a joined row of a join of two streams whose evaluation failed, with the
/// error: the row is the whole joined row (left ++ right ++ USING columns ++ ROWTIME, see
/// `StreamJoinPlan`), its ROWTIME last. A pump supplies it so that such a row goes to
/// error_stream while every other pair goes on (docs/continuous-queries.md, "Runtime
/// errors: error_stream"); without one (SELECT STREAM) the error fails the query.
public typealias JoinedRowErrorHandler = (_ row: Row, _ error: Error) -> Void
