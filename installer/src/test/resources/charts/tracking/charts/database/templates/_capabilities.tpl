{{/*
True when the target serves the API version given as .version (a field of the dict, not a literal).
Usage: {{ include "database.capabilities.apiVersions.has" (dict "version" "batch/v1" "context" $) }}
*/}}
{{- define "database.capabilities.apiVersions.has" -}}
{{- $provided := default .context.Values.apiVersions ((.context.Values.global).apiVersions) -}}
{{- if and (empty $provided) (.context.Capabilities.APIVersions.Has .version) -}}
{{- true -}}
{{- else if has .version $provided -}}
{{- true -}}
{{- end -}}
{{- end -}}

{{- define "database.serviceMonitor.apiVersion" -}}
{{- if .Capabilities.APIVersions.Has (printf "%s/%s" "monitoring.coreos.com" "v1") -}}
monitoring.coreos.com/v1
{{- end -}}
{{- end -}}
