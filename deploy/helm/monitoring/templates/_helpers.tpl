{{/* Names are the release's name, so two releases in one namespace do not collide. */}}
{{- define "monitoring.fullname" -}}
{{- printf "%s-monitoring" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "monitoring.labels" -}}
app.kubernetes.io/name: full-observability-monitoring
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: full-observability
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "monitoring.namespace" -}}
{{- default .Release.Namespace .Values.targetNamespace -}}
{{- end -}}

{{/* A pod label as Kubernetes discovery names it: __meta_kubernetes_pod_label_<sanitized>. */}}
{{- define "monitoring.podLabelMeta" -}}
{{- printf "__meta_kubernetes_pod_label_%s" (regexReplaceAll "[^a-zA-Z0-9_]" . "_") -}}
{{- end -}}

{{/* The rule groups of every file in files/rules (deploy/prometheus/rules), as a YAML list. */}}
{{- define "monitoring.ruleGroups" -}}
{{- $groups := list -}}
{{- range $path, $_ := .Files.Glob "files/rules/*.yml" -}}
{{- $text := $.Files.Get $path -}}
{{- if $.Values.runbookUrl -}}
{{- $text = replace "runbook_url: deploy/prometheus/RUNBOOKS.md" (printf "runbook_url: %s" $.Values.runbookUrl) $text -}}
{{- end -}}
{{- $groups = concat $groups (get (fromYaml $text) "groups") -}}
{{- end -}}
{{- toYaml $groups -}}
{{- end -}}
