// The sync module: a replica of a Polar organization (pull, webhooks, lazy state, write-through).
export { Sync, type PullOptions, type PullProgress, type PullReport, type PullCursor, type IngestInput, type IngestOptions, type IngestResult, type ReplicaRecord, type ReplicaOutcome, type ReplicaType, type SyncHost } from "./sync.js";
export { Upstream } from "./upstream.js";
export { PolarHttp, UpstreamUnavailableError, SERVERS, RATE_LIMITS, retryAfterMs, type ConnectionOptions, type PolarServer } from "./http.js";
