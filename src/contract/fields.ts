// The primitives of the API's answers, shared by every contract schema and by the routes' own.
import { z } from 'zod';

export const uuid = z.uuid();
export const isoDate = z.iso.date();
/** A timestamp as the API returns it (response schemas document; they do not validate). */
export const timestamp = z.iso.datetime();
