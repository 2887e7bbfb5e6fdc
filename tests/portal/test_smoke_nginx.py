"""make smoke runs deploy/nginx.conf itself, only its ports and log directory rewritten: the file must stay
one nginx accepts that way."""

import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.smoke.base import LOOPBACK, NGINX, NGINX_PORT, WEB_PORTS
from deploy.smoke.topology import Topology


@pytest.fixture
def topology():
    topology = Topology()
    yield topology
    shutil.rmtree(topology.tmp, ignore_errors=True)


def test_smoke_config_is_deploy_nginx_conf_on_loopback_ports(topology):
    topology.nginx_config()
    site = (topology.tmp / "portail.conf").read_text()
    assert f"listen {LOOPBACK}:{NGINX_PORT};" in site
    for port in WEB_PORTS.values():
        assert f"server {LOOPBACK}:{port} max_fails=3 fail_timeout=10s;" in site
    assert "server web:8000" not in site and "/var/log/nginx/" not in site
    assert "proxy_set_header X-Forwarded-Proto $portail_forwarded_proto;" in site


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx absent (apt-get install nginx-light)")
def test_nginx_accepts_the_smoke_config(topology):
    topology.nginx_config()
    conf = topology.tmp / "nginx.conf"
    result = subprocess.run(
        [NGINX, "-t", "-p", str(topology.tmp), "-c", str(conf), "-e", str(topology.tmp / "error.log")],
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert result.returncode == 0, result.stderr
