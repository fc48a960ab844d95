"""Resources: ComponentResources that hand specs to the providers."""
