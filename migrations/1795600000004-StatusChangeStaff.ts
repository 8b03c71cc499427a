import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A status change names the staff member who made it by id, as the server verified it when the change was written
 * (the token's subject is a staff member of the token's agency), instead of the token subject being read as a staff id
 * later: a partner system whose client id happens to be a number was shown as the staff member with that id.
 * Rows written before keep what they showed: the subject, where it is the id of a staff member.
 */
export class StatusChangeStaff1795600000004 implements MigrationInterface {
  name = 'StatusChangeStaff1795600000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "case_status_change" ADD "changed_by_staff_id" bigint REFERENCES "staff_member" ("id")`);
    await queryRunner.query(
      `UPDATE "case_status_change" h SET changed_by_staff_id = s.id
         FROM "staff_member" s WHERE h.changed_by_subject ~ '^[0-9]{1,18}$' AND s.id = h.changed_by_subject::bigint`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "case_status_change" DROP COLUMN "changed_by_staff_id"`);
  }
}
