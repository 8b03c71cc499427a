import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The version of the reference data (agencies, staff members, service types): one row, incremented once by every
 * transaction that writes one of the tables, when it commits. Servers keep these records across requests and read the
 * version with each request's caller (src/db/reference-cache.ts): a newer version empties their cache first.
 *
 * The increment is a deferred constraint trigger, so that the row is locked only at commit, after everything else the
 * transaction locks (no lock-order deadlock between writers of different tables), and a transaction-local setting
 * makes it once per transaction, however many rows it writes (a bulk load costs one update). TRUNCATE has no row
 * triggers: a statement trigger increments it at once.
 */
export class ReferenceVersion1795600000003 implements MigrationInterface {
  name = 'ReferenceVersion1795600000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "reference_version" ("id" boolean PRIMARY KEY DEFAULT true CHECK ("id"), "version" bigint NOT NULL DEFAULT 0)`);
    await queryRunner.query(`INSERT INTO "reference_version" DEFAULT VALUES`);
    await queryRunner.query(`CREATE FUNCTION reference_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'ROW' THEN
          IF current_setting('krug.reference_changed', true) = 'yes' THEN RETURN NULL; END IF;
          PERFORM set_config('krug.reference_changed', 'yes', true);
        END IF;
        UPDATE reference_version SET version = version + 1;
        RETURN NULL;
      END $$`);
    for (const table of ['agency', 'staff_member', 'service_type']) {
      await queryRunner.query(
        `CREATE CONSTRAINT TRIGGER ${table}_reference_changed AFTER INSERT OR UPDATE OR DELETE ON "${table}"
           DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reference_changed()`,
      );
      await queryRunner.query(`CREATE TRIGGER ${table}_reference_truncated AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION reference_changed()`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['agency', 'staff_member', 'service_type']) {
      await queryRunner.query(`DROP TRIGGER ${table}_reference_changed ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER ${table}_reference_truncated ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION reference_changed()`);
    await queryRunner.query(`DROP TABLE "reference_version"`);
  }
}
