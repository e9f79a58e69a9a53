import type { ContactKind } from '../core/offers/contact-keys.js';
import type { ChannelName } from '../core/user-ref.js';

/**
 * Memory of checked offers: near-duplicate clusters, contact reputation, operator labels and
 * opt-in subscriptions. Contacts reach this port ONLY as keyed hashes (see
 * src/runtime/offer-memory-service.ts); no adapter ever sees a phone number or handle in clear.
 */

import { OFFER_LABELS, type OfferLabel } from '../core/offers/label-level.js';

export type { ContactKind };
export { OFFER_LABELS, type OfferLabel };

/** What an operator said about a cluster or a contact, and who said it when. */
export type LabelRecord = { label: OfferLabel; by: string; at: number };

/** One cluster of near-identical offers. */
export type ClusterRecord = {
  id: string;
  signature: number[];
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The highest level any check of this cluster gave. */
  level: string;
  /** Most frequent flag ids first, at most five. */
  topFlags: string[];
};

/** A contact's record, under its keyed hash. */
export type ContactRecord = {
  id: string;
  kind: ContactKind;
  firstSeen: number;
  /** Checked offers that carried the contact. */
  count: number;
  clusters: string[];
};

/** One checked offer to remember. */
export type RecordOfferInput = {
  signature: number[];
  bands: string[];
  level: string;
  flagIds: string[];
  /** Keyed hashes of the contacts in the offer, with their kinds. */
  contacts: Array<{ id: string; kind: ContactKind }>;
  /** Keyed hash of the forwarding user: counts distinct forwards, never stored readable. */
  forwarder: string;
  at: number;
  /** Day bucket for the daily counters, e.g. "2026-11-28" (UTC). */
  day: string;
};

export type RecordOfferResult = {
  cluster: ClusterRecord;
  /** True when this offer started a new cluster. */
  created: boolean;
  /** Per contact: its record after this offer and the distinct forwarders today. */
  contacts: Array<{ record: ContactRecord; forwardsToday: number }>;
};

/** Who asked to be told when a cluster is labelled. Stored only after the consent button. */
export type Subscriber = { channel: ChannelName; userId: string; chatId: string; locale: string };

export interface OfferMemory {
  /**
   * Adds the offer to the cluster its signature matches (bands, then the exact threshold), or
   * starts one; counts its contacts and their distinct forwarders today.
   */
  record(input: RecordOfferInput, matchThreshold: number): Promise<RecordOfferResult>;
  /** The cluster an offer would join, without recording it. */
  findCluster(
    signature: number[],
    bands: string[],
    matchThreshold: number,
  ): Promise<ClusterRecord | undefined>;
  cluster(id: string): Promise<ClusterRecord | undefined>;
  contact(id: string): Promise<ContactRecord | undefined>;
  /**
   * Marks that the day's alert for a contact went out; true only the first time per day, so that
   * operators get one alert per contact per day.
   */
  markAlerted(contactId: string, day: string): Promise<boolean>;
  setLabel(target: string, label: OfferLabel, by: string, at: number): Promise<LabelRecord>;
  getLabel(target: string): Promise<LabelRecord | undefined>;
  /** Clusters by count, most forwarded first. */
  topClusters(limit: number): Promise<ClusterRecord[]>;
  /** Contacts by the number of checked offers that carried them. */
  topContacts(limit: number): Promise<ContactRecord[]>;
  subscribe(clusterId: string, subscriber: Subscriber): Promise<void>;
  /** Returns the cluster's subscribers and deletes them: each is told once. */
  takeSubscribers(clusterId: string): Promise<Subscriber[]>;
  /** Deletes every subscription of one user (they asked to be forgotten). */
  forgetSubscriber(channel: ChannelName, userId: string): Promise<void>;
}

/** How long memory lasts without a new forward, and how long daily counters live. */
export const OFFER_MEMORY_RETENTION_SECONDS = 180 * 86_400;
export const DAILY_COUNTER_TTL_SECONDS = 2 * 86_400;
/** Subscriptions older than this are dropped unanswered: a label months later helps no one. */
export const SUBSCRIPTION_TTL_SECONDS = 90 * 86_400;
