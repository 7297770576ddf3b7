vcl 4.1;
# backends.vcl for ../compose.yaml (mounted as /etc/varnish/backends.vcl). Names are
# resolved once, when the VCL loads; compose.yaml pins each service's address, so a
# replica that is recreated comes back where Varnish looks for it. Another replica:
# a service in compose.yaml, a backend here, and a line in vcl_init and in the ACL.

backend app1 { .host = "app1"; .port = "3000"; .probe = readiness; }
backend app2 { .host = "app2"; .port = "3000"; .probe = readiness; }

# The replicas send the purges (CACHE_PURGE_URLS). Not the whole network: readers of
# the published port may arrive from its gateway address.
acl purgers {
    "app1";
    "app2";
}

sub vcl_init {
    cluster.add_backend(app1);
    cluster.add_backend(app2);
}
