import FreshetCore
import FreshetSQL

extension Binder {
    /// APPROX_PERCENTILE's second argument: a constant fraction between 0 and 1.
    func percentileFraction(_ e: Expression) throws -> Double {
        var readsColumns = false
        DerivedRewriter.visit(e) { if case .column = $0.kind { readsColumns = true } }
        let b = readsColumns ? nil : try bind(e, Scope(), expected: .double)
        let v: Double?
        switch b {
        case nil: v = nil
        case .literal(.double(let d), _)?: v = d
        case .literal(.int(let i), _)?: v = Double(i)
        case .literal(.decimal(let d), _)?: v = d.doubleValue
        default: v = nil
        }
        guard let v else {
            throw PlanError.error(.featureNotSupported, "the fraction of APPROX_PERCENTILE must be a constant", e.span)
        }
        guard v >= 0 && v <= 1 else {
            throw PlanError.error(.invalidParameterValue, "the fraction of APPROX_PERCENTILE must be between 0 and 1, not \(v)", e.span,
                                  hint: "The 95th percentile is APPROX_PERCENTILE(x, 0.95).")
        }
        return v
    }
}
