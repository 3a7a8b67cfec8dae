/** Whole days and hours in milliseconds: the one definition every layer counts time with. */
export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
