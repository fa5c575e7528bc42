import FreshetCore

/// What a stateful operator evaluates on an input row before it changes its state, held by
/// a `StreamingPipeline` (see `StreamingPipeline.checkRow`; built by `JoinedRowGuard.check`).
final class RowCheck {
    let check: (Row) throws -> Void

    init(check: @escaping (Row) throws -> Void) { self.check = check }
}
