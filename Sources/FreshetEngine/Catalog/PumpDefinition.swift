/// A pump as the catalog keeps it (catalog.json, beside the streams): its
/// statement text (re-parsed and re-bound when the server starts), whether it
/// should run, and the generation CREATE OR REPLACE bumps. Its checkpoint log
/// lives in `directory` (see PumpCheckpointLog).
struct PumpDefinition: Codable {
    var oid: UInt32
    var name: String
    /// The CREATE PUMP statement, printed by SQLPrinter (without OR REPLACE / STOPPED).
    var sql: String
    /// false after CREATE PUMP … STOPPED or ALTER PUMP … STOP.
    var running: Bool
    /// 1 at CREATE; +1 at each CREATE OR REPLACE. A checkpoint of an older generation
    /// gives its read position but not its operator state (the query changed).
    var generation: Int
    var sourceOID: UInt32
    var targetOID: UInt32
    var createdMicros: Int64
    /// Directory (relative to the data directory) holding the checkpoint log.
    var directory: String
    /// The reference tables the pump's query joins with its stream (nil: none; absent
    /// in catalogs written before pumps could join tables). DROP TABLE refuses while set.
    var tableOIDs: [UInt32]? = nil
    /// The right stream of a join of two streams (nil: the pump reads one stream, `sourceOID`;
    /// absent in catalogs written before pumps joined streams). DROP STREAM refuses while set.
    var rightSourceOID: UInt32? = nil

    /// The streams the pump reads, in its pipeline's input order (a self-join names one twice).
    var sourceOIDs: [UInt32] { [sourceOID] + (rightSourceOID.map { [$0] } ?? []) }
}
