// @ts-check

/**
 * Microservice projects.
 *
 * release_groups: releases one person asked for together (several services of a System to one
 * environment, in one request). Each service's release stays an ordinary row of `releases`, in
 * its own service's history; release_group_releases links them so the System shows them as one
 * deployment. A release belongs to at most one group.
 *
 * project_deletions: one row per entity whose project was deleted (the System and each of its
 * services). The ArgoCD applications are gone; `releases` and their events stay as history, and
 * this row is what refuses new releases of the entity.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_groups', table => {
    table.comment('Releases of several services requested together');
    table.string('id', 36).primary();
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('The project (System) the services belong to');
    table.string('environment', 63).notNullable();
    table.string('requested_by', 255).notNullable();
    table.string('reason', 500).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'created_at'], 'release_groups_entity_idx');
  });
  await knex.schema.createTable('release_group_releases', table => {
    table.comment('The releases of a release group, in the order requested');
    table
      .string('group_id', 36)
      .notNullable()
      .references('id')
      .inTable('release_groups')
      .onDelete('CASCADE');
    table
      .string('release_id', 36)
      .notNullable()
      .references('id')
      .inTable('releases')
      .onDelete('CASCADE');
    table.integer('position').notNullable();
    table.primary(['group_id', 'release_id']);
    table.unique(['release_id'], {
      indexName: 'release_group_releases_release_uq',
    });
  });
  await knex.schema.createTable('project_deletions', table => {
    table.comment('Projects deleted: applications removed, history kept');
    table.string('entity_ref', 255).primary();
    table
      .string('project_ref', 255)
      .notNullable()
      .comment('The project whose deletion took this entity with it');
    table.string('deleted_by', 255).notNullable();
    table.timestamp('deleted_at', { useTz: true }).notNullable();
    table
      .text('applications')
      .notNullable()
      .comment('JSON array of the ArgoCD applications removed');
    table.index(['project_ref'], 'project_deletions_project_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('project_deletions');
  await knex.schema.dropTable('release_group_releases');
  await knex.schema.dropTable('release_groups');
};
