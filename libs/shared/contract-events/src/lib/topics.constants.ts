/** Event-log topics. Partitioned by the entity key named beside each. */
export const TOPICS = {
  /** checkout.started, payment.*, stepup.*, review.*, order.*, refund.* — key: accountToken */
  checkoutEvents: 'risk.checkout-events.v1',
  /** chargeback.received, label.confirmed — key: accountToken */
  labels: 'risk.labels.v1',
  /** decision.made — key: checkoutId */
  decisions: 'risk.decisions.v1',
  /** model registry stage changes — key: model name */
  registryChanges: 'risk.registry-changes.v1',
  /** monitoring and guardrail alerts — key: alert name */
  alerts: 'risk.alerts.v1',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** BullMQ queue names. */
export const QUEUES = {
  training: 'risk-training-jobs',
  retention: 'risk-retention',
} as const;

/** Consumer groups. */
export const CONSUMER_GROUPS = {
  featureService: 'feature-service',
  servedFeatureLabels: 'served-feature-labels',
  controller: 'rollout-controller',
  monitoring: 'monitoring',
} as const;
