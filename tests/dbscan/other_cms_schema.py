"""The tables of Joomla 4, Drupal 10 and Magento 2 that the scan reads.

Column layouts follow each CMS's installer; columns the scan never reads
are trimmed where they would only add noise.
"""

from __future__ import annotations

from tests.dbscan.conftest import ScratchDatabase

JOOMLA = """
CREATE TABLE {prefix}content (
  id int unsigned NOT NULL AUTO_INCREMENT,
  asset_id int unsigned NOT NULL DEFAULT 0,
  title varchar(255) NOT NULL DEFAULT '',
  alias varchar(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  introtext mediumtext NOT NULL,
  `fulltext` mediumtext NOT NULL,
  state tinyint NOT NULL DEFAULT 0,
  catid int unsigned NOT NULL DEFAULT 0,
  created datetime NOT NULL,
  created_by int unsigned NOT NULL DEFAULT 0,
  modified datetime NOT NULL,
  language char(7) NOT NULL DEFAULT '*',
  PRIMARY KEY (id),
  KEY idx_createdby (created_by)
);
CREATE TABLE {prefix}modules (
  id int NOT NULL AUTO_INCREMENT,
  asset_id int unsigned NOT NULL DEFAULT 0,
  title varchar(100) NOT NULL DEFAULT '',
  note varchar(255) NOT NULL DEFAULT '',
  content text,
  ordering int NOT NULL DEFAULT 0,
  position varchar(50) NOT NULL DEFAULT '',
  published tinyint NOT NULL DEFAULT 0,
  module varchar(50) DEFAULT NULL,
  params text NOT NULL,
  client_id tinyint NOT NULL DEFAULT 0,
  language char(7) NOT NULL,
  PRIMARY KEY (id)
);
CREATE TABLE {prefix}users (
  id int NOT NULL AUTO_INCREMENT,
  name varchar(400) NOT NULL DEFAULT '',
  username varchar(150) NOT NULL DEFAULT '',
  email varchar(100) NOT NULL DEFAULT '',
  password varchar(100) NOT NULL DEFAULT '',
  block tinyint NOT NULL DEFAULT 0,
  sendEmail tinyint DEFAULT 0,
  registerDate datetime NOT NULL,
  lastvisitDate datetime,
  activation varchar(100) NOT NULL DEFAULT '',
  params text NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY idx_username (username)
);
CREATE TABLE {prefix}user_usergroup_map (
  user_id int unsigned NOT NULL DEFAULT 0,
  group_id int unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, group_id)
)"""

DRUPAL_FIELD = """(
  bundle varchar(128) CHARACTER SET ascii NOT NULL DEFAULT '',
  deleted tinyint NOT NULL DEFAULT 0,
  entity_id int unsigned NOT NULL,
  revision_id int unsigned NOT NULL,
  langcode varchar(32) CHARACTER SET ascii NOT NULL DEFAULT '',
  delta int unsigned NOT NULL,
  body_value longtext NOT NULL,
  body_summary longtext,
  body_format varchar(255) DEFAULT NULL,
  PRIMARY KEY (entity_id, deleted, delta, langcode)
)"""

DRUPAL = f"""
CREATE TABLE {{prefix}}node__body {DRUPAL_FIELD};
CREATE TABLE {{prefix}}block_content__body {DRUPAL_FIELD};
CREATE TABLE {{prefix}}node_field_data (
  nid int unsigned NOT NULL,
  vid int unsigned NOT NULL,
  type varchar(32) CHARACTER SET ascii NOT NULL,
  langcode varchar(12) CHARACTER SET ascii NOT NULL,
  status tinyint NOT NULL,
  uid int unsigned NOT NULL,
  title varchar(255) NOT NULL,
  created int NOT NULL,
  changed int DEFAULT NULL,
  default_langcode tinyint NOT NULL,
  PRIMARY KEY (nid, langcode)
);
CREATE TABLE {{prefix}}block_content_field_data (
  id int unsigned NOT NULL,
  revision_id int unsigned NOT NULL,
  type varchar(32) CHARACTER SET ascii NOT NULL,
  langcode varchar(12) CHARACTER SET ascii NOT NULL,
  status tinyint NOT NULL,
  info varchar(255) DEFAULT NULL,
  changed int DEFAULT NULL,
  reusable tinyint DEFAULT NULL,
  default_langcode tinyint NOT NULL,
  PRIMARY KEY (id, langcode)
);
CREATE TABLE {{prefix}}users_field_data (
  uid int unsigned NOT NULL,
  langcode varchar(12) CHARACTER SET ascii NOT NULL,
  preferred_langcode varchar(12) CHARACTER SET ascii DEFAULT NULL,
  name varchar(60) NOT NULL,
  pass varchar(255) DEFAULT NULL,
  mail varchar(254) DEFAULT NULL,
  timezone varchar(32) DEFAULT NULL,
  status tinyint DEFAULT NULL,
  created int NOT NULL,
  changed int DEFAULT NULL,
  access int NOT NULL,
  login int DEFAULT NULL,
  init varchar(254) DEFAULT NULL,
  default_langcode tinyint NOT NULL,
  PRIMARY KEY (uid, langcode)
);
CREATE TABLE {{prefix}}user__roles (
  bundle varchar(128) CHARACTER SET ascii NOT NULL DEFAULT '',
  deleted tinyint NOT NULL DEFAULT 0,
  entity_id int unsigned NOT NULL,
  revision_id int unsigned NOT NULL,
  langcode varchar(32) CHARACTER SET ascii NOT NULL DEFAULT '',
  delta int unsigned NOT NULL,
  roles_target_id varchar(255) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (entity_id, deleted, delta, langcode)
)"""

MAGENTO = """
CREATE TABLE {prefix}cms_block (
  block_id smallint NOT NULL AUTO_INCREMENT,
  title varchar(255) NOT NULL,
  identifier varchar(255) NOT NULL,
  content mediumtext,
  creation_time timestamp NOT NULL DEFAULT current_timestamp(),
  update_time timestamp NOT NULL DEFAULT current_timestamp(),
  is_active smallint NOT NULL DEFAULT 1,
  PRIMARY KEY (block_id)
);
CREATE TABLE {prefix}cms_page (
  page_id smallint NOT NULL AUTO_INCREMENT,
  title varchar(255) DEFAULT NULL,
  page_layout varchar(255) DEFAULT NULL,
  meta_keywords text,
  meta_description text,
  identifier varchar(100) DEFAULT NULL,
  content_heading varchar(255) DEFAULT NULL,
  content mediumtext,
  creation_time timestamp NOT NULL DEFAULT current_timestamp(),
  update_time timestamp NOT NULL DEFAULT current_timestamp(),
  is_active smallint NOT NULL DEFAULT 1,
  PRIMARY KEY (page_id)
);
CREATE TABLE {prefix}core_config_data (
  config_id int unsigned NOT NULL AUTO_INCREMENT,
  scope varchar(8) NOT NULL DEFAULT 'default',
  scope_id int NOT NULL DEFAULT 0,
  path varchar(255) NOT NULL DEFAULT 'general',
  value text,
  updated_at timestamp NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (config_id),
  UNIQUE KEY CORE_CONFIG_DATA_SCOPE_SCOPE_ID_PATH (scope, scope_id, path)
);
CREATE TABLE {prefix}admin_user (
  user_id int unsigned NOT NULL AUTO_INCREMENT,
  firstname varchar(32) DEFAULT NULL,
  lastname varchar(32) DEFAULT NULL,
  email varchar(128) DEFAULT NULL,
  username varchar(40) DEFAULT NULL,
  password varchar(255) NOT NULL,
  created timestamp NOT NULL DEFAULT current_timestamp(),
  modified timestamp NOT NULL DEFAULT current_timestamp(),
  logdate timestamp NULL DEFAULT NULL,
  lognum smallint unsigned NOT NULL DEFAULT 0,
  is_active smallint NOT NULL DEFAULT 1,
  PRIMARY KEY (user_id),
  UNIQUE KEY ADMIN_USER_USERNAME (username)
)"""


def create_tables(database: ScratchDatabase, schema: str, prefix: str) -> None:
    """Run a schema's CREATE TABLE statements with the site's prefix."""
    for statement in schema.format(prefix=prefix).split(";\n"):
        database.execute(statement)
