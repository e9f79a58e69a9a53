/**
 * What a step asks the runtime to do besides replying. The engine decides; the runtime (which
 * may touch Redis, platforms or operators) carries it out.
 */
export type Effect =
  /** Put the user in the operators' queue. The runtime stores the case before confirming. */
  | {
      type: 'open_case';
      reason: 'user_request' | 'distress' | 'offer_followup';
      who?: 'self' | 'other' | 'unsure';
    }
  /** Answers to the optional intake questions, for the open case. */
  | { type: 'case_intake'; answers: Record<string, string> }
  /** Delete everything stored about the user (an open case is kept and the operator told). */
  | { type: 'erase_user' }
  /** Delete the conversation from the user's screen where the channel can. */
  | { type: 'quick_exit' }
  /** The user left the channel (Zalo unfollow, Telegram block): stop sending, tell an open case. */
  | { type: 'mark_unreachable' }
  /** An anonymous statistic (no text, no ids). */
  | { type: 'count'; event: string; labels?: Record<string, string> }
  /**
   * Remember a checked offer (near-duplicate memory, contact counts) and, when configured, ask
   * the second opinion. The text lives only as long as the step: effects are never stored.
   */
  | { type: 'remember_offer'; text: string; level: string; flagIds: string[] }
  /** The user pressed "tell me when we know more" for a cluster of offers (their consent). */
  | { type: 'subscribe_offer'; clusterId: string };
