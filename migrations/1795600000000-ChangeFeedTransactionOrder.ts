import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed's order: each audit row records the transaction that wrote it (`pg_current_xact_id()`, as a bigint),
 * so that the feed can publish a write only once every transaction that could still commit an earlier one has finished.
 *
 * The column is added with a constant default first: PostgreSQL stores it as the value of every existing row without
 * rewriting or scanning the table (rows written before this migration read 0 and so come first in the feed: they
 * are all committed and older than any new row). Only then does the default become the volatile transaction id, which
 * applies to new rows alone. The column stays nullable: a NOT NULL constraint would scan the whole table under lock.
 */
export class ChangeFeedTransactionOrder1795600000000 implements MigrationInterface {
  name = 'ChangeFeedTransactionOrder1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_event" ADD "xact_id" bigint DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "xact_id" SET DEFAULT ((pg_current_xact_id())::text)::bigint`);
    await queryRunner.query(`CREATE INDEX "audit_event_feed_idx" ON "audit_event" ("xact_id", "id") WHERE action = 'WRITE'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."audit_event_feed_idx"`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP COLUMN "xact_id"`);
  }
}
