/**
 * A session: one small actor per `POST /sessions`, registered under its id in the
 * `docservice.sessions` registry (unique keys) and supervised by `docservice.session-sup`.
 * The registry entry goes away by itself when the actor exits.
 */
import { GenServer, type Call } from '@arbor/core';

/** What a session answers. */
export interface SessionInfo {
  readonly id: string;
  readonly user: string;
  readonly requests: number;
}

/**
 * The session's protocol: `touch` counts a request and answers the session.
 *
 * @example
 * const info = await call(sessions.whereis(id)!, { type: 'touch' }); // { id, user, requests: 3 }
 */
export interface SessionProtocol {
  call: Call<'touch', SessionInfo>;
}

/**
 * The session actor; its start argument is `{ id, user }`.
 *
 * @example
 * await DynamicSupervisor.startChild(sup, { start: { behaviour: Session, arg: { id, user } }, restart: 'temporary' });
 */
export class Session extends GenServer<SessionProtocol, SessionInfo, { id: string; user: string }> {
  override init(arg: { id: string; user: string }): void {
    this.state = { ...arg, requests: 0 };
  }
  override handleCall(): SessionInfo {
    this.state = { ...this.state, requests: this.state.requests + 1 };
    return this.state;
  }
}
