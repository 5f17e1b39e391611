// A delivery: one message about one alert event, through one notification channel. The planners that decide what
// happens to an alert also say which deliveries it causes, and the store writes them in the same transaction as the
// event they announce, so an accepted notification can neither lose its messages nor get them twice.

/** A message a planner asks for; the store turns it into an outbox job beside the event it announces. */
export interface DeliveryRequest {
  /** The alert the message is about. */
  alertId: string;
  /** Which of the change's events it announces, by position: an event's id is only known once it is written. */
  eventIndex: number;
  /** The channel as configured (`email`, `slack`, `sms`, ...). */
  channel: string;
  /** Who receives it, for a channel that sends to several (an address, a phone number). */
  recipient?: string;
}
