// @ts-check

/**
 * Release numbers: #1, #2, … per project (catalog entity), across its environments, so people
 * can tell releases apart and say "roll back to #12".
 *
 * releases.number: the release's number in its project, unique per entity_ref. Existing
 * releases are numbered here in the order they were created (seq breaks ties). The column stays
 * nullable because SQLite cannot add a NOT NULL column without a default; every insert sets it.
 *
 * release_numbers: the last number handed out per project. Creating a release increments this
 * row inside its transaction (an upsert: PostgreSQL holds it as a row lock until commit, SQLite
 * holds its write lock), so concurrent creates in different environments of one project never
 * get the same number; the unique index would refuse one that did.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('releases', table => {
    table
      .integer('number')
      .nullable()
      .comment('The release number within its project: #1, #2, …');
  });
  await knex.raw(
    `UPDATE releases SET number = (
       SELECT COUNT(*) FROM releases AS earlier
       WHERE earlier.entity_ref = releases.entity_ref
         AND (earlier.created_at < releases.created_at
           OR (earlier.created_at = releases.created_at AND earlier.seq <= releases.seq))
     )`,
  );
  await knex.schema.alterTable('releases', table => {
    table.unique(['entity_ref', 'number'], {
      indexName: 'releases_entity_ref_number_unique',
    });
  });
  await knex.schema.createTable('release_numbers', table => {
    table.comment('The last release number handed out per project');
    table.string('entity_ref', 255).primary().notNullable();
    table.integer('last_number').notNullable();
  });
  await knex.raw(
    `INSERT INTO release_numbers (entity_ref, last_number)
     SELECT entity_ref, MAX(number) FROM releases GROUP BY entity_ref`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_numbers');
  await knex.schema.alterTable('releases', table => {
    table.dropUnique(
      ['entity_ref', 'number'],
      'releases_entity_ref_number_unique',
    );
    table.dropColumn('number');
  });
};
