// How column values come back, the same on both adapters (and in the generated Kysely types):
// - int8 (counters) as a JS number: exact up to 2^53, far above any count we store;
// - numeric (money) as a string: exact decimals, never binary floating point;
// - date as 'YYYY-MM-DD': a calendar day must not shift with the process's time zone.
const INT8_OID = 20;
const DATE_OID = 1082;

export const VALUE_PARSERS: Record<number, (value: string) => unknown> = {
  [INT8_OID]: (value) => Number(value),
  [DATE_OID]: (value) => value,
};
