import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ScaleIndexes1795491009633 implements MigrationInterface {
  name = 'ScaleIndexes1795491009633';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "service_delivery_referral_idx" ON "service_delivery" ("referral_id", "delivered_on") WHERE referral_id IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."service_delivery_referral_idx"`);
  }
}
