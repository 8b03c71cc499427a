import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MetricsIndexes1795491469929 implements MigrationInterface {
  name = 'MetricsIndexes1795491469929';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "plan_step_done_idx" ON "plan_step" ("completed_on") WHERE status = 'DONE'`);
    await queryRunner.query(`CREATE INDEX "referral_sent_idx" ON "referral" ("sent_at") `);
    await queryRunner.query(`CREATE INDEX "service_delivery_metrics_idx" ON "service_delivery" ("case_id", "delivered_on", "service_type_id", "delivery_mode", "recipient_id", "brigade_trip_id") `);
    await queryRunner.query(`CREATE INDEX "decision_done_idx" ON "decision" ("done_on") WHERE status = 'DONE'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."decision_done_idx"`);
    await queryRunner.query(`DROP INDEX "public"."service_delivery_metrics_idx"`);
    await queryRunner.query(`DROP INDEX "public"."referral_sent_idx"`);
    await queryRunner.query(`DROP INDEX "public"."plan_step_done_idx"`);
  }
}
