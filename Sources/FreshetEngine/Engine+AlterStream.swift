import FreshetCore
import FreshetSQL
import FreshetStreams

/// ALTER STREAM s SET (retention = …, shards = N, capacity_mode = …, max_record_size = …).
///
/// Every option is checked before anything changes, so a bad value leaves the stream
/// as it was. The new values are written to the catalog in one durable write (with the
/// reshard when `shards` is given) and take effect at once on live data: reads use the
/// new retention from their next scan (and segments past it, and closed shards past it,
/// are deleted right away),
/// writes the new capacity mode and record size limit from their next statement.
extension Engine {
    /// ALTER STREAM: options, or one of the resharding operations (Engine+Reshard.swift).
    func alterStream(_ a: AlterStream) async throws {
        switch a.action {
        case .setOptions(let options): try await alterStreamOptions(stream: a.name, options)
        case let .splitShard(shard, key): try await splitShard(stream: a.name, shard: shard, at: key)
        case let .mergeShards(first, second): try await mergeShards(stream: a.name, first, second)
        }
    }

    func alterStreamOptions(stream name: ObjectName, _ options: [OptionAssignment]) async throws {
        let (d, store) = try streamAndStore(name)
        var retention: Int?
        var shards: Int?
        var mode: CapacityMode?
        var maxRecord: Int?
        var seen = Set<String>()
        for opt in options {
            let key = opt.name.value.lowercased()
            let pos = opt.name.span.start.offset + 1
            guard seen.insert(key).inserted else {
                throw FreshetError(.syntaxError, "option \"\(key)\" specified more than once", position: pos)
            }
            let value = try opt.value.map { try CopyOptions.optionText($0) } ?? ""
            switch key {
            case "retention", "retention_period":
                retention = try parseRetention(value, position: pos)
            case "shards", "shard_count":
                guard let n = Int(value), n >= 1, n <= configuration.maxShardsPerStream else {
                    throw FreshetError(.invalidParameterValue, "shards must be an integer from 1 to \(configuration.maxShardsPerStream), not \"\(value)\"",
                                       position: pos)
                }
                shards = n
            case "capacity_mode":
                guard let m = CapacityMode(rawValue: value.lowercased()) else {
                    throw FreshetError(.invalidParameterValue, "capacity_mode must be 'on_demand' or 'provisioned', not '\(value)'", position: pos)
                }
                mode = m
            case "max_record_size":
                maxRecord = try parseMaxRecordSize(value, position: pos)
            case "partition_key":
                throw FreshetError(.featureNotSupported, "the partition key of a stream cannot be changed",
                                   hint: "Rows already stored were routed by it; create a new stream and copy the rows with INSERT … SELECT.",
                                   position: pos)
            default:
                throw FreshetError(.invalidParameterValue, "unrecognized stream option \"\(key)\"",
                                   hint: "ALTER STREAM … SET accepts shards, retention, capacity_mode and max_record_size.", position: pos)
            }
        }
        let update: (inout StreamDefinition) -> Void = { def in
            if let retention { def.retentionHours = retention }
            if let mode { def.capacityMode = mode }
            if let maxRecord { def.maxRecordBytes = maxRecord }
        }
        if let shards {
            try await reshard(d, store, { try Resharding.uniformScale($0, to: shards, maxShards: self.configuration.maxShardsPerStream, stream: d.name) },
                              update: update)
        } else {
            try catalogLock.withLock {
                guard let i = catalog.streams.firstIndex(where: { $0.oid == d.oid }) else {
                    throw FreshetError(.undefinedTable, "stream \"\(d.name)\" does not exist")
                }
                var next = catalog
                update(&next.streams[i])
                try persistCatalog(next)
                catalog = next
            }
        }
        var o = store.options
        if let mode { o.capacityMode = mode }
        if let maxRecord { o.maxRecordBytes = maxRecord }
        store.options = o
        if retention != nil { await applyRetention() }
        publishAltered(oid: d.oid, before: d)
    }
}
