{{- define "cache.capabilities.vpa" -}}
{{- if "autoscaling.k8s.io/v1/VerticalPodAutoscaler" | .Capabilities.APIVersions.Has -}}
true
{{- end -}}
{{- end -}}
