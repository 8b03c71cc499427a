import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outcome metrics of a region read its referrals sent and plan steps done in a period from one index range each: a
 * referral and a plan step carry a copy of their case's region, kept exact by triggers (an insert, or a move to another
 * case, takes it from the case; a change of a case's region is carried to them). Before, the metrics read every
 * referral (plan step) of the period in the country and joined the region's cases: 150 000 referrals and 250 000 plan
 * steps a year at national scale for a region's 2 000 and 3 000.
 */
export class CaseRegionCopies1795600000002 implements MigrationInterface {
  name = 'CaseRegionCopies1795600000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['referral', 'plan_step']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "region_code" text`);
      await queryRunner.query(`UPDATE "${table}" t SET region_code = c.region_code FROM "case" c WHERE c.id = t.case_id`);
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "region_code" SET NOT NULL`);
    }
    await queryRunner.query(`CREATE FUNCTION case_region_copy() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT c.region_code INTO NEW.region_code FROM "case" c WHERE c.id = NEW.case_id;
        RETURN NEW;
      END $$`);
    for (const table of ['referral', 'plan_step']) {
      await queryRunner.query(
        `CREATE TRIGGER ${table}_case_region BEFORE INSERT OR UPDATE OF case_id, region_code ON "${table}" FOR EACH ROW EXECUTE FUNCTION case_region_copy()`,
      );
    }
    await queryRunner.query(`CREATE FUNCTION case_region_copies() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE referral SET region_code = NEW.region_code WHERE case_id = NEW.id;
        UPDATE plan_step SET region_code = NEW.region_code WHERE case_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER case_region_copies AFTER UPDATE OF region_code ON "case"
         FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code) EXECUTE FUNCTION case_region_copies()`,
    );
    await queryRunner.query(`CREATE INDEX "referral_region_sent_idx" ON "referral" ("region_code", "sent_at") `);
    await queryRunner.query(`CREATE INDEX "plan_step_region_done_idx" ON "plan_step" ("region_code", "completed_on") WHERE status = 'DONE'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."plan_step_region_done_idx"`);
    await queryRunner.query(`DROP INDEX "public"."referral_region_sent_idx"`);
    await queryRunner.query(`DROP TRIGGER case_region_copies ON "case"`);
    await queryRunner.query(`DROP FUNCTION case_region_copies()`);
    for (const table of ['referral', 'plan_step']) await queryRunner.query(`DROP TRIGGER ${table}_case_region ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION case_region_copy()`);
    for (const table of ['referral', 'plan_step']) await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "region_code"`);
  }
}
