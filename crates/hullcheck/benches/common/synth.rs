//! Synthetic evidence bundles for benchmarks: realistic Kubernetes objects, `n` in total,
//! spread over files of 50 documents, deterministic for the same `n`.

/// One synthetic object (document text) of kind `i % 6`.
pub fn object(i: usize) -> String {
    let ns = format!("team-{}", i % 40);
    match i % 6 {
        0 | 1 => format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  namespace: {ns}\n  labels: {{app: app-{i}, tier: backend}}\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {{app: app-{i}}}\n  template:\n    metadata:\n      labels: {{app: app-{i}}}\n      annotations: {{prometheus.io/scrape: \"true\"}}\n    spec:\n      serviceAccountName: app-{i}\n      securityContext:\n        runAsNonRoot: true\n        seccompProfile: {{type: RuntimeDefault}}\n      containers:\n      - name: app\n        image: registry.example.com/{ns}/app-{i}:1.{}.0\n        ports:\n        - containerPort: 8080\n        env:\n        - name: LOG_LEVEL\n          value: info\n        - name: DB_PASSWORD\n          valueFrom: {{secretKeyRef: {{name: db, key: password}}}}\n        resources:\n          requests: {{cpu: 100m, memory: 128Mi}}\n          limits: {{memory: 256Mi}}\n        securityContext:\n          allowPrivilegeEscalation: false\n          readOnlyRootFilesystem: {}\n          capabilities: {{drop: [ALL]}}\n        livenessProbe: {{httpGet: {{path: /healthz, port: 8080}}}}\n        readinessProbe: {{httpGet: {{path: /ready, port: 8080}}}}\n",
            i % 9,
            i % 3 != 0
        ),
        2 => format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: app-{i}\n  namespace: {ns}\nspec:\n  selector: {{app: app-{i}}}\n  ports:\n  - port: 80\n    targetPort: 8080\n"),
        3 => format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-{i}\n  namespace: {ns}\ndata:\n  config.yaml: |\n    feature: {i}\n    threshold: 0.75\n  mode: production\n"),
        4 => format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-{i}\n  namespace: {ns}\nspec:\n  podSelector: {{}}\n  policyTypes: [Ingress, Egress]\n"),
        _ => format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader-{i}\n  namespace: {ns}\nrules:\n- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get, list]\n"),
    }
}

/// The bundle as `(file name, text)` pairs.
pub fn bundle(n: usize) -> Vec<(String, String)> {
    let per_file = 50;
    (0..n.div_ceil(per_file))
        .map(|f| {
            let docs: Vec<String> = (f * per_file..((f + 1) * per_file).min(n))
                .map(object)
                .collect();
            (format!("synthetic-{f:05}.yaml"), docs.join("---\n"))
        })
        .collect()
}
