/** Activities and the API read time through a Clock so tests and demos can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
