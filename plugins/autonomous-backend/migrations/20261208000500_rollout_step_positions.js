// @ts-check

/**
 * Where each pause of a Rollout stands, as its own columns: the release drawer charts the gates
 * judged at each pause under "Step 2 of 5 at 20 % canary" or "blue/green preview of revision
 * abc", and must not read that back out of the label sentence. Pauses recorded before this
 * migration have none of them; the step key still says the kind and the index.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('release_rollout_steps', table => {
    table
      .string('kind', 16)
      .nullable()
      .comment('canary, preview or paused (spec.paused set by hand)');
    table
      .integer('step_index')
      .nullable()
      .comment('Zero based index of the canary step paused at');
    table
      .integer('step_count')
      .nullable()
      .comment('How many steps the canary strategy has');
    table
      .integer('weight')
      .nullable()
      .comment('Canary weight in percent in force at the pause');
    table
      .string('revision', 64)
      .nullable()
      .comment('Pod template hash of the previewed revision (blue/green)');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('release_rollout_steps', table => {
    table.dropColumn('kind');
    table.dropColumn('step_index');
    table.dropColumn('step_count');
    table.dropColumn('weight');
    table.dropColumn('revision');
  });
};
