"""openshift-registry: storage, credentials and configuration for OpenShift's integrated registry."""
