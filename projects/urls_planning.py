"""Planning sections of a project (état des lieux, cahier des charges, demos, deployment plan,
training, information meeting, facilitators, ACI figure, vendor requests). Names are in the
``projects`` namespace."""

urlpatterns: list = []
