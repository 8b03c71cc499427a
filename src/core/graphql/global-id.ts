import { badField } from './errors';

/** Opaque global ids: base64url of "Type:localId". Clients must not parse them. */
export function toGlobalId(type: string, localId: string | number): string {
  return Buffer.from(`${type}:${localId}`, 'utf8').toString('base64url');
}

export function fromGlobalId(globalId: string): { type: string; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length > 200) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const type = decoded.slice(0, colon);
  const id = decoded.slice(colon + 1);
  if (!/^[A-Za-z]+$/.test(type) || !/^\d{1,18}$/.test(id)) return null;
  return { type, id };
}

/** Decodes an id that must be of one type; a wrong or malformed id names the input field. */
export function expectGlobalId(globalId: string, type: string, field: string): string {
  const parsed = fromGlobalId(globalId);
  if (!parsed || parsed.type !== type) throw badField(field, `must be the id of a ${type}`);
  return parsed.id;
}
