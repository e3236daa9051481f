// The package's public types: camelCase inputs (as Polar's SDK takes them) and the API's JSON outputs.

export type MetadataValue = string | number | boolean;
export type Metadata = Record<string, MetadataValue>;
export type CustomerType = "individual" | "team";
export type MemberRole = "owner" | "billing_manager" | "member";

export interface AddressInput {
  country: string;
  line1?: string | null;
  line2?: string | null;
  postalCode?: string | null;
  city?: string | null;
  state?: string | null;
}

export interface OwnerInput {
  email: string;
  name?: string | null;
  externalId?: string | null;
}

export interface CustomerCreate {
  email?: string | null;
  name?: string | null;
  billingName?: string | null;
  billingAddress?: AddressInput | null;
  taxId?: string | null;
  locale?: string | null;
  metadata?: Metadata;
  externalId?: string | null;
  type?: CustomerType;
  owner?: OwnerInput | null;
  emailVerified?: boolean;
}

export interface CustomerUpdate {
  email?: string | null;
  name?: string | null;
  billingName?: string | null;
  billingAddress?: AddressInput | null;
  taxId?: string | null;
  locale?: string | null;
  metadata?: Metadata;
  externalId?: string | null;
  type?: CustomerType;
}

export type SortingCriterion = "created_at" | "-created_at" | "email" | "-email" | "name" | "-name";

export interface CustomerListRequest {
  email?: string;
  externalId?: string;
  query?: string;
  active?: boolean;
  metadata?: Record<string, MetadataValue | MetadataValue[]>;
  sorting?: SortingCriterion | SortingCriterion[];
  page?: number;
  limit?: number;
}

/** The API's Address JSON. */
export interface Address {
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  city: string | null;
  state: string | null;
  country: string;
}

/** The API's Customer JSON (snake_case, as Polar answers). */
export interface Customer {
  id: string;
  created_at: string;
  modified_at: string | null;
  metadata: Metadata;
  external_id: string | null;
  email: string | null;
  email_verified: boolean;
  type: CustomerType;
  name: string | null;
  billing_name: string | null;
  billing_address: Address | null;
  tax_id: [string, string] | null;
  locale: string | null;
  organization_id: string;
  default_payment_method_id: string | null;
  deleted_at: string | null;
  avatar_url: string | null;
  /** When the customer's first usage event reached Polar; null until then (set only by an import). */
  first_user_event_at: string | null;
}

export interface Pagination {
  total_count: number;
  max_page: number;
}

export interface ListResource<T> {
  items: T[];
  pagination: Pagination;
}

export interface Member {
  id: string;
  created_at: string;
  modified_at: string | null;
  customer_id: string;
  email: string;
  name: string | null;
  external_id: string | null;
  role: MemberRole;
}

export interface MemberCreate {
  customerId: string;
  email: string;
  name?: string | null;
  externalId?: string | null;
  role?: "member" | "billing_manager";
}

export interface MemberUpdate {
  email?: string | null;
  name?: string | null;
  role?: MemberRole;
}

/** A member added under a customer named by the route (`members.createExternal`): Polar's MemberCreateFromCustomer. */
export type MemberCreateFromCustomer = Omit<MemberCreate, "customerId">;

export type MemberSortingCriterion = "created_at" | "-created_at";

/** `members.list`: every filter optional; no customer filter lists the whole organization's members. */
export interface MemberListRequest {
  customerId?: string;
  externalCustomerId?: string;
  role?: MemberRole;
  sorting?: MemberSortingCriterion | MemberSortingCriterion[];
  page?: number;
  limit?: number;
}

/** `customers.export`'s options. */
export interface CustomerExportRequest {
  /** As Polar's filter: only these organizations, among the one the handle sees (another's exports no row). */
  organizationId?: string | string[];
  /** Rows the core writes per chunk, 1 to 10,000; default 1,000. */
  rowsPerChunk?: number;
}

/**
 * Polar's CSV export (UTF-8 text, CRLF line ends, a header row first), read from the core a chunk of
 * whole rows at a time while it is consumed. Each use reads the customers as they are then, from the
 * first row.
 */
export interface CustomerExport extends AsyncIterable<string> {
  /** The whole CSV as one string. */
  text(): Promise<string>;
  /** The CSV as UTF-8 bytes, pulled chunk by chunk (a Response body, a file stream). */
  stream(): ReadableStream<Uint8Array>;
}

export interface CustomerStateSubscription {
  id: string;
  created_at: string;
  modified_at: string | null;
  metadata: Metadata;
  status: string;
  amount: number;
  currency: string;
  recurring_interval: string;
  current_period_start: string;
  current_period_end: string;
  trial_start: string | null;
  trial_end: string | null;
  cancel_at_period_end: boolean;
  canceled_at: string | null;
  started_at: string | null;
  ends_at: string | null;
  product_id: string;
  discount_id: string | null;
  meters: unknown[];
}

export interface CustomerStateBenefitGrant {
  id: string;
  created_at: string;
  modified_at: string | null;
  granted_at: string;
  benefit_id: string;
  benefit_type: string;
  benefit_metadata: Metadata;
  properties: Record<string, unknown>;
}

export interface CustomerStateMeter {
  id: string;
  created_at: string;
  modified_at: string | null;
  meter_id: string;
  consumed_units: number;
  credited_units: number;
  balance: number;
}

export interface CustomerState extends Customer {
  active_subscriptions: CustomerStateSubscription[];
  granted_benefits: CustomerStateBenefitGrant[];
  active_meters: CustomerStateMeter[];
}

export type EventType =
  | "customer.created"
  | "customer.updated"
  | "customer.deleted"
  | "customer.state_changed"
  | "member.created"
  | "member.updated"
  | "member.deleted";

export interface ClienteleEvent {
  /** Position in the core's log (not part of the webhook payload). */
  seq: number;
  type: EventType;
  timestamp: string;
  data: Record<string, unknown>;
}

/** What a webhook delivers: Polar's `{ type, timestamp, data }`. */
export type WebhookPayload = Omit<ClienteleEvent, "seq">;
