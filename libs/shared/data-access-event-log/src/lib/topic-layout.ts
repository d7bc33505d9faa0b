import { DLQ_SUFFIX } from './event-log.types';
import { partitionForKey } from './partitioner';

/** Partition counts per topic. Dead-letter topics default to one partition: low volume, read by humans. */
export class TopicLayout {
  constructor(
    private readonly defaultPartitions: number,
    private readonly topics: Readonly<Record<string, { partitions?: number; maxLen?: number }>>,
    private readonly defaultMaxLen = 0,
  ) {}

  partitionsOf(topic: string): number {
    const configured = this.topics[topic]?.partitions;
    if (configured) return configured;
    return topic.endsWith(DLQ_SUFFIX) ? 1 : this.defaultPartitions;
  }

  partitionFor(topic: string, key: string): number {
    return partitionForKey(key, this.partitionsOf(topic));
  }

  maxLenOf(topic: string): number {
    return this.topics[topic]?.maxLen ?? this.defaultMaxLen;
  }
}
