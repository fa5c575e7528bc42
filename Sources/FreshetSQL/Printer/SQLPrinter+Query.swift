/// Queries: WITH, set operations, SELECT, VALUES, FROM, windows.
extension SQLPrinter {
    mutating func write(_ query: Query) {
        if !query.with.isEmpty {
            output += "WITH "
            for (i, cte) in query.with.enumerated() {
                if i > 0 { output += ", " }
                write(cte.name)
                if !cte.columns.isEmpty {
                    output += " "
                    writeList(cte.columns)
                }
                output += " AS ("
                write(cte.query)
                output += ")"
            }
            output += " "
        }
        write(query.body)
        if !query.orderBy.isEmpty {
            output += " ORDER BY "
            write(query.orderBy)
        }
        if let limit = query.limit {
            output += " LIMIT "
            write(limit)
        }
        if let offset = query.offset {
            output += " OFFSET "
            write(offset)
        }
    }

    mutating func write(_ body: QueryBody) {
        switch body {
        case .select(let select):
            write(select)
        case .values(let rows):
            output += "VALUES "
            for (i, row) in rows.enumerated() {
                if i > 0 { output += ", " }
                output += "("
                write(row)
                output += ")"
            }
        case .nested(let query):
            output += "("
            write(query)
            output += ")"
        case .setOperation(let op, let all, let left, let right):
            write(left)
            output += " " + op.rawValue + (all ? " ALL " : " ")
            write(right)
        }
    }

    mutating func write(_ select: Select) {
        output += "SELECT "
        if select.isStream { output += "STREAM " }
        if select.distinct { output += "DISTINCT " }
        if !select.distinctOn.isEmpty {
            output += "DISTINCT ON ("
            write(select.distinctOn)
            output += ") "
        }
        write(select.items)
        if !select.from.isEmpty {
            output += " FROM "
            for (i, reference) in select.from.enumerated() {
                if i > 0 { output += ", " }
                write(reference)
            }
        }
        if let startAt = select.startAt {
            output += " START AT "
            switch startAt {
            case .trimHorizon: output += "TRIM_HORIZON"
            case .latest: output += "LATEST"
            case .timestamp(let expression): write(expression)
            case .atSequence(let sequence):
                output += "SEQUENCE "
                writeString(sequence)
            case .afterSequence(let sequence):
                output += "AFTER SEQUENCE "
                writeString(sequence)
            }
        }
        if let condition = select.whereClause {
            output += " WHERE "
            write(condition)
        }
        if let stagger = select.stagger {
            output += " WINDOWED BY STAGGER (PARTITION BY "
            write(stagger.partitionBy)
            output += " RANGE "
            write(stagger.range)
            output += ")"
        }
        if !select.groupBy.isEmpty {
            output += " GROUP BY "
            write(select.groupBy)
        }
        if let having = select.having {
            output += " HAVING "
            write(having)
        }
        if !select.windows.isEmpty {
            output += " WINDOW "
            for (i, window) in select.windows.enumerated() {
                if i > 0 { output += ", " }
                write(window.name)
                output += " AS "
                write(window.specification)
            }
        }
    }

    mutating func write(_ items: [SelectItem]) {
        for (i, item) in items.enumerated() {
            if i > 0 { output += ", " }
            switch item {
            case .wildcard(let qualifier, _):
                if let qualifier {
                    write(qualifier)
                    output += "."
                }
                output += "*"
            case .expression(let expression, let alias):
                write(expression)
                if let alias {
                    output += " AS "
                    write(alias, mode: .label)
                }
            }
        }
    }

    mutating func write(_ items: [OrderByItem]) {
        for (i, item) in items.enumerated() {
            if i > 0 { output += ", " }
            write(item.expression)
            if let ascending = item.ascending { output += ascending ? " ASC" : " DESC" }
            if let nullsFirst = item.nullsFirst { output += nullsFirst ? " NULLS FIRST" : " NULLS LAST" }
        }
    }

    mutating func write(_ alias: TableAlias?) {
        guard let alias else { return }
        output += " AS "
        write(alias.name, mode: .label)
        if !alias.columns.isEmpty {
            output += " "
            writeList(alias.columns)
        }
    }

    mutating func write(_ reference: TableReference) {
        switch reference {
        case .named(let name, let alias, let window):
            write(name)
            if let window {
                output += " OVER "
                write(window)
            }
            write(alias)
        case .subquery(let query, let alias, let lateral):
            output += lateral ? "LATERAL (" : "("
            write(query)
            output += ")"
            write(alias)
        case .function(let call, let alias):
            write(call)
            write(alias)
        case .join(let join):
            write(join.left)
            output += " "
            if case .natural = join.constraint { output += "NATURAL " }
            output += join.kind.rawValue + " "
            if case .join = join.right {
                output += "("
                write(join.right)
                output += ")"
            } else {
                write(join.right)
            }
            switch join.constraint {
            case .on(let condition):
                output += " ON "
                write(condition)
            case .using(let columns):
                output += " USING "
                writeList(columns)
            case .natural, .none:
                break
            }
        }
    }

    mutating func write(_ specification: WindowSpecification) {
        output += "("
        var parts = 0
        func separate(_ printer: inout SQLPrinter) {
            if parts > 0 { printer.output += " " }
            parts += 1
        }
        if let base = specification.baseWindow {
            separate(&self)
            write(base)
        }
        if !specification.partitionBy.isEmpty {
            separate(&self)
            output += "PARTITION BY "
            write(specification.partitionBy)
        }
        if !specification.orderBy.isEmpty {
            separate(&self)
            output += "ORDER BY "
            write(specification.orderBy)
        }
        if let frame = specification.frame {
            separate(&self)
            output += frame.units.rawValue + " "
            if let end = frame.end {
                output += "BETWEEN "
                write(frame.start)
                output += " AND "
                write(end)
            } else {
                write(frame.start)
            }
        }
        output += ")"
    }

    mutating func write(_ bound: WindowFrame.Bound) {
        switch bound {
        case .unboundedPreceding: output += "UNBOUNDED PRECEDING"
        case .unboundedFollowing: output += "UNBOUNDED FOLLOWING"
        case .currentRow: output += "CURRENT ROW"
        case .preceding(let value):
            write(value, minimum: .and)
            output += " PRECEDING"
        case .following(let value):
            write(value, minimum: .and)
            output += " FOLLOWING"
        }
    }
}
