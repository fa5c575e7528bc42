import FreshetCore

/// A stream's capacity mode (Kinesis's StreamModeDetails).
public enum CapacityMode: String, Sendable, Codable {
    /// No per-shard limits (the default).
    case onDemand = "on_demand"
    /// Per-shard limits: 1 MiB/s or 1,000 records/s in, 2 MiB/s out.
    case provisioned
}

/// Kinesis's per-shard limits in provisioned mode.
public enum ProvisionedLimits {
    public static let incomingRecordsPerSecond = 1_000
    public static let incomingBytesPerSecond = 1 << 20
    public static let outgoingBytesPerSecond = 2 << 20
    /// SQLSTATE 53400 (configuration_limit_exceeded): a write above a shard's provisioned
    /// throughput. The AWS-compatible API maps it to ProvisionedThroughputExceededException.
    public static let throughputExceeded = SQLState("53400")
}
