"""Reading Joomla, Drupal and Magento 2 database settings, oddly formatted."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanshift.dbscan.errors import CredentialsError
from cleanshift.dbscan.siteconfig import read_site_config
from tests.dbscan.test_credentials import write

JOOMLA = """<?php
class JConfig
{
\tpublic $offline = false;
\tpublic $sitename = 'Corner Bakery';
\tpublic $dbtype = 'mysqli';
\tpublic $host   = "db.internal:3307";
\tpublic $user = 'joomla';
\tpublic $password = 'pa$$w0rd';
\tpublic $db = 'bakery';
\tpublic $dbprefix = 'x7k2_';
\tpublic $live_site = '';
\tpublic $secret = 'AbCdEf0123456789';
\tpublic $mailer = 'mail';
}
"""


def test_joomla(tmp_path: Path) -> None:
    write(tmp_path / "configuration.php", JOOMLA)

    config = read_site_config(tmp_path)

    assert config.cms == "joomla"
    credentials = config.credentials
    assert (credentials.database, credentials.user) == ("bakery", "joomla")
    assert credentials.password == "pa$$w0rd"
    assert (credentials.host, credentials.port) == ("db.internal", 3307)
    assert config.prefix == "x7k2_"
    assert config.site_url is None


def test_configuration_php_of_another_application_is_not_joomla(tmp_path: Path) -> None:
    write(tmp_path / "configuration.php", "<?php $config = ['db' => 'x'];")

    with pytest.raises(CredentialsError, match="no WordPress"):
        read_site_config(tmp_path)


DRUPAL_SHORT = """<?php
$databases = [];
$settings['hash_salt'] = 'Qx9...';
$databases['default']['default'] = [
  'database' => 'drupal10',
  'username' => 'drupal',
  'password' => 'd"rupal\\'pw',
  'prefix' => 'dr_',
  'host' => '10.0.0.5',
  'port' => '3310',
  'isolation_level' => 'READ COMMITTED',
  'driver' => 'mysql',
  'namespace' => 'Drupal\\\\mysql\\\\Driver\\\\Database\\\\mysql',
  'autoload' => 'core/modules/mysql/src/Driver/Database/mysql/',
];
$settings['config_sync_directory'] = 'sites/default/files/config_x/sync';
"""


def test_drupal_short_arrays(tmp_path: Path) -> None:
    write(tmp_path / "sites" / "default" / "settings.php", DRUPAL_SHORT)

    config = read_site_config(tmp_path)

    assert config.cms == "drupal"
    credentials = config.credentials
    assert credentials.database == "drupal10"
    assert credentials.password == "d\"rupal'pw"
    assert (credentials.host, credentials.port) == ("10.0.0.5", 3310)
    assert config.prefix == "dr_"


def test_drupal_long_arrays_in_settings_local(tmp_path: Path) -> None:
    settings = tmp_path / "sites" / "default"
    write(
        settings / "settings.php", "<?php\n# $databases['default']['default'] = [];\n"
    )
    write(
        settings / "settings.local.php",
        "<?php\n$databases = array (\n  'default' => \n  array (\n    'default' => \n"
        "    array (\n      'database' => 'd7',\n      'username' => 'u',\n"
        "      'password' => 'p',\n      'host' => 'localhost',\n"
        "      'unix_socket' => '/var/lib/mysql/mysql.sock',\n"
        "      'driver' => 'mysql',\n      'prefix' => array('default' => 'd7_'),\n"
        "    ),\n  ),\n);\n",
    )

    config = read_site_config(tmp_path)

    assert config.config_file.name == "settings.local.php"
    assert config.credentials.socket == "/var/lib/mysql/mysql.sock"
    assert config.prefix == "d7_"


def test_drupal_on_postgres_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path / "sites" / "default" / "settings.php",
        "<?php $databases['default']['default'] = ['driver' => 'pgsql', "
        "'database' => 'x', 'username' => 'y', 'password' => 'z'];",
    )

    with pytest.raises(CredentialsError, match="pgsql"):
        read_site_config(tmp_path)


MAGENTO = """<?php
return [
    'backend' => [
        'frontName' => 'admin_1q2w3e'
    ],
    'crypt' => [
        'key' => 'b7a1...'
    ],
    'db' => [
        'table_prefix' => 'mg_',
        'connection' => [
            'default' => [
                'host' => 'localhost:/var/run/mysqld/mysqld.sock',
                'dbname' => 'magento2',
                'username' => 'magento',
                'password' => "m@g3nto#1",
                'model' => 'mysql4',
                'engine' => 'innodb',
                'initStatements' => 'SET NAMES utf8;',
                'active' => '1',
                'driver_options' => [
                    1014 => false
                ]
            ]
        ]
    ],
    'resource' => [
        'default_setup' => [
            'connection' => 'default'
        ]
    ],
    'x-frame-options' => 'SAMEORIGIN',
    'MAGE_MODE' => 'production',
    'session' => [
        'save' => 'files'
    ],
    'cache_types' => [
        'config' => 1,
        'layout' => 1,
    ],
    'install' => [
        'date' => 'Tue, 02 May 2023 10:11:12 +0000'
    ]
];
"""


def test_magento(tmp_path: Path) -> None:
    write(tmp_path / "app" / "etc" / "env.php", MAGENTO)

    config = read_site_config(tmp_path)

    assert config.cms == "magento"
    credentials = config.credentials
    assert (credentials.database, credentials.user) == ("magento2", "magento")
    assert credentials.password == "m@g3nto#1"
    assert credentials.socket == "/var/run/mysqld/mysqld.sock"
    assert config.prefix == "mg_"


def test_magento_without_a_db_section(tmp_path: Path) -> None:
    write(tmp_path / "app" / "etc" / "env.php", "<?php return ['MAGE_MODE' => 'x'];")

    with pytest.raises(CredentialsError, match="'db'"):
        read_site_config(tmp_path)
