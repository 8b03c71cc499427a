export default async function globalTeardown(): Promise<void> {
  if (globalThis.__KRUG_TEARDOWN__) await globalThis.__KRUG_TEARDOWN__();
}
