import { MigrationInterface, QueryRunner } from 'typeorm';

const REPORT = 'Slutrapport KUR (S2013/7759/FS), avsnittet "Medel"';

/** The programme-budget table, loaded with the final report's own figures and where they stand. */
export class ProgrammeBudget1765210000000 implements MigrationInterface {
  name = 'ProgrammeBudget1765210000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "programme_budget" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "kur_phase" "public"."kur_phase" NOT NULL,
        "year_from" integer NOT NULL,
        "year_to" integer NOT NULL,
        "allotted_sek" integer,
        "distributed_sek" integer,
        "repaid_sek" integer,
        "source" text NOT NULL,
        "note" text,
        "version" integer NOT NULL,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_programme_budget" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idx_programme_budget_kur_phase_year_from_year_to" ON "programme_budget" ("kur_phase", "year_from", "year_to")`,
    );
    await queryRunner.query(
      `INSERT INTO "programme_budget" ("kur_phase", "year_from", "year_to", "allotted_sek", "distributed_sek", "repaid_sek", "source", "note", "version")
       VALUES
         ('KUR1', 2009, 2012, 30000000, NULL, NULL, $1, 'Nära hälften av pengarna användes; exakt belopp anges inte.', 1),
         ('KUR2', 2014, 2014, 10000000, NULL, 7241876, $2, 'Återbetalt i februari 2015: de flesta områden genomförde sina aktiviteter först 2015.', 1),
         ('KUR2', 2015, 2015, 10000000, NULL, 1217110, $3, 'Därtill 200 000 kr 2015 för utvärdering.', 1),
         ('KUR2', 2014, 2015, 20000000, 11500000, 8458986, $4, 'Fördelat "ca 11 500 000 kr" sammanlagt under åren; återbetalt är summan av 2014 och 2015.', 1)`,
      [
        `${REPORT}: "Regeringen avsatte 30 Mkr för KUR 1 under åren 2009-2012. Nära hälften av pengarna användes."`,
        `${REPORT}: "Av de 10 Mkr som avsattes för år 2014 återbetalades 7 241 876 kr i februari 2015."`,
        `${REPORT}: "Av den totala summan som avsattes för 2015 har Försäkringskassan återbetalat 1 217 110 kr"`,
        `${REPORT}: "För KUR 2 avsatte regeringen 10 mkr för 2014 och 10 mkr för år 2015. Försäkringskassan fördelade sammanlagt under åren ca 11 500 000 kr."`,
      ],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "programme_budget"`);
  }
}
