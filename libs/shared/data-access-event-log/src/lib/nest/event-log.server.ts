import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom, throwError, type Observable } from 'rxjs';
import type { EventLog, EventMessage, SubscribeOptions, Subscription } from '../event-log.types';

/** Handler context of `@EventPattern(topic)` methods: `@Ctx() ctx: EventLogContext`, `ctx.getMessage()`. */
export class EventLogContext extends BaseRpcContext<[EventMessage]> {
  getMessage(): EventMessage {
    return this.args[0];
  }
}

export interface EventLogServerOptions extends Omit<SubscribeOptions, 'topics' | 'handler'> {
  log: EventLog;
  /** Close the log when the Nest app closes (default false: whoever created it owns it). */
  closeLog?: boolean;
  /** Bound on the graceful stop at app shutdown; past it in-flight messages are left for redelivery. Default 30 s. */
  stopTimeoutMs?: number;
}

/**
 * Nest transport over `EventLog.subscribe`: every `@EventPattern(topic)` becomes a subscribed topic, the payload is
 * the event value, and the message is committed only when the handler (sync, Promise or Observable) completed.
 * A handler that throws is retried and then dead-lettered by the event log, like any other consumer.
 */
export class EventLogServer extends Server implements CustomTransportStrategy {
  private subscription?: Subscription;

  constructor(private readonly options: EventLogServerOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    const topics = [...this.messageHandlers.entries()].filter(([, h]) => h.isEventHandler).map(([pattern]) => pattern);
    if (topics.length === 0) {
      callback();
      return;
    }
    const { log, closeLog: _closeLog, stopTimeoutMs: _stopTimeoutMs, ...subscribe } = this.options;
    log
      .subscribe({ ...subscribe, topics, handler: (message) => this.dispatch(message) })
      .then((sub) => {
        this.subscription = sub;
        callback();
      })
      .catch((error: unknown) => callback(error));
  }

  async close(): Promise<void> {
    await this.subscription?.stop({ timeoutMs: this.options.stopTimeoutMs ?? 30_000 });
    this.subscription = undefined;
    if (this.options.closeLog) await this.options.log.close();
  }

  on(): never {
    throw new Error('EventLogServer does not emit transport events');
  }

  unwrap<T>(): T {
    return this.options.log as T;
  }

  private async dispatch(message: EventMessage): Promise<void> {
    const handler = this.getHandlerByPattern(message.topic);
    if (!handler) throw Object.assign(new Error(`no @EventPattern handler for topic ${message.topic}`), { code: 'NO_HANDLER' });
    const result: unknown = await handler(message.value, new EventLogContext([message]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}

/**
 * Nest's default RPC filter replaces unknown errors with `{ message: 'Internal server error' }`; this one passes the
 * original error on, so the dead letter records its real message and code. `app.useGlobalFilters(new EventLogExceptionFilter())`.
 */
@Catch()
export class EventLogExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
