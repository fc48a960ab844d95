"""A model of the clusters the program runs against, and of the loop users run on them.

``states`` builds realistic clusters (release, platform, install mode, topology, capabilities);
``operator`` is the image-registry operator and the API server, as far as they write what the
program reads; ``apply`` is what ``pulumi up`` does to the cluster (server-side apply under the
program's field manager); ``apiserver`` serves a state at its REST paths for the live reader.
"""
