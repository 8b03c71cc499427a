import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Reference1795488464689 implements MigrationInterface {
  name = 'Reference1795488464689';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "program" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "code" text NOT NULL, "name" text NOT NULL, "funder" text NOT NULL, "region_codes" text array NOT NULL, "starts_on" date NOT NULL, "ends_on" date, "budget_rub" numeric(14,2), "description" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_3bade5945afbafefdd26a3a29fb" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "program_code_key" ON "program" ("code") `);
    await queryRunner.query(`CREATE TABLE "region" ("code" text NOT NULL, "name" text NOT NULL, CONSTRAINT "PK_74f7723fdff738f92929c0056cb" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE TYPE "public"."agency_kind" AS ENUM('SOCIAL_PROTECTION', 'HEALTH', 'EDUCATION', 'GUARDIANSHIP', 'NGO', 'LAW_ENFORCEMENT', 'OTHER')`);
    await queryRunner.query(`CREATE TABLE "agency" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "name" text NOT NULL, "short_name" text, "kind" "public"."agency_kind" NOT NULL, "region_code" text NOT NULL, "parent_id" bigint, "settlement" text, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_ab1244724d1c216e9720635a2e5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "agency_name_key" ON "agency" ("name", "region_code") `);
    await queryRunner.query(`CREATE INDEX "agency_parent_idx" ON "agency" ("parent_id") `);
    await queryRunner.query(`CREATE INDEX "agency_region_idx" ON "agency" ("region_code") `);
    await queryRunner.query(`CREATE TABLE "staff_member" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "agency_id" bigint NOT NULL, "full_name" text NOT NULL, "position" text NOT NULL, "email" text, "roles" text array NOT NULL DEFAULT '{}', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "staff_member_name_check" CHECK (length(full_name) BETWEEN 1 AND 200), CONSTRAINT "PK_342343208cbc30b3c14a976b0a0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "staff_member_agency_idx" ON "staff_member" ("agency_id") `);
    await queryRunner.query(`CREATE TYPE "public"."service_domain" AS ENUM('SOCIAL', 'MEDICAL', 'PSYCHOLOGICAL', 'PEDAGOGICAL', 'LEGAL', 'LEISURE', 'PARENTING', 'RESPITE', 'MATERIAL')`);
    await queryRunner.query(`CREATE TABLE "service_type" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "code" text NOT NULL, "name" text NOT NULL, "domain" "public"."service_domain" NOT NULL, "description" text, "version" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_0a11a8d444eff1346826caed987" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "service_type_code_key" ON "service_type" ("code") `);
    await queryRunner.query(`CREATE TYPE "public"."delivery_mode" AS ENUM('ON_SITE', 'HOME', 'REMOTE', 'MOBILE_BRIGADE')`);
    await queryRunner.query(`CREATE TABLE "service_offering" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "provider_id" bigint NOT NULL, "service_type_id" bigint NOT NULL, "delivery_modes" "public"."delivery_mode" array NOT NULL, "min_age_months" integer NOT NULL DEFAULT '0', "max_age_months" integer NOT NULL DEFAULT '216', "region_codes" text array NOT NULL, "monthly_capacity" integer, "description" text, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_36d1431796da1e28dc90cfa58f1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "service_offering_type_idx" ON "service_offering" ("service_type_id") `);
    await queryRunner.query(`CREATE INDEX "service_offering_provider_idx" ON "service_offering" ("provider_id") `);
    await queryRunner.query(`CREATE TABLE "audit_event" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "request_id" text NOT NULL, "actor_subject" text NOT NULL, "actor_staff_id" bigint, "agency_id" bigint NOT NULL, "roles" text array NOT NULL, "action" text NOT NULL, "record_type" text NOT NULL, "record_id" bigint NOT NULL, "case_id" bigint, "family_id" bigint, "fields" text array NOT NULL, "reason" text, CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "audit_event_actor_idx" ON "audit_event" ("actor_subject", "occurred_at") `);
    await queryRunner.query(`CREATE INDEX "audit_event_case_idx" ON "audit_event" ("case_id", "occurred_at") `);
    await queryRunner.query(`CREATE INDEX "audit_event_occurred_at_idx" ON "audit_event" ("occurred_at") `);
    await queryRunner.query(`ALTER TABLE "agency" ADD CONSTRAINT "FK_9fb51ffcb0a44225993fb61e4a6" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "agency" ADD CONSTRAINT "FK_23b82556fb4ce8b297ecc6fbd2f" FOREIGN KEY ("parent_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "staff_member" ADD CONSTRAINT "FK_b4f4eeaa87dde8e67576a036cb9" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_offering" ADD CONSTRAINT "FK_b31a1c53393820e4f03911a6446" FOREIGN KEY ("provider_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_offering" ADD CONSTRAINT "FK_ccf3eca953efd729cd295d17f74" FOREIGN KEY ("service_type_id") REFERENCES "service_type"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_offering" DROP CONSTRAINT "FK_ccf3eca953efd729cd295d17f74"`);
    await queryRunner.query(`ALTER TABLE "service_offering" DROP CONSTRAINT "FK_b31a1c53393820e4f03911a6446"`);
    await queryRunner.query(`ALTER TABLE "staff_member" DROP CONSTRAINT "FK_b4f4eeaa87dde8e67576a036cb9"`);
    await queryRunner.query(`ALTER TABLE "agency" DROP CONSTRAINT "FK_23b82556fb4ce8b297ecc6fbd2f"`);
    await queryRunner.query(`ALTER TABLE "agency" DROP CONSTRAINT "FK_9fb51ffcb0a44225993fb61e4a6"`);
    await queryRunner.query(`DROP INDEX "public"."audit_event_occurred_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_event_case_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_event_actor_idx"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP INDEX "public"."service_offering_provider_idx"`);
    await queryRunner.query(`DROP INDEX "public"."service_offering_type_idx"`);
    await queryRunner.query(`DROP TABLE "service_offering"`);
    await queryRunner.query(`DROP TYPE "public"."delivery_mode"`);
    await queryRunner.query(`DROP INDEX "public"."service_type_code_key"`);
    await queryRunner.query(`DROP TABLE "service_type"`);
    await queryRunner.query(`DROP TYPE "public"."service_domain"`);
    await queryRunner.query(`DROP INDEX "public"."staff_member_agency_idx"`);
    await queryRunner.query(`DROP TABLE "staff_member"`);
    await queryRunner.query(`DROP INDEX "public"."agency_region_idx"`);
    await queryRunner.query(`DROP INDEX "public"."agency_parent_idx"`);
    await queryRunner.query(`DROP INDEX "public"."agency_name_key"`);
    await queryRunner.query(`DROP TABLE "agency"`);
    await queryRunner.query(`DROP TYPE "public"."agency_kind"`);
    await queryRunner.query(`DROP TABLE "region"`);
    await queryRunner.query(`DROP INDEX "public"."program_code_key"`);
    await queryRunner.query(`DROP TABLE "program"`);
  }
}
