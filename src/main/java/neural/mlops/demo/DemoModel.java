package neural.mlops.demo;

import static neural.mlops.demo.DemoWorkspace.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import neural.mlops.registry.ModelStage;

/**
 * The demo's models as data: for each version, the day it is registered (0 to 89), its metrics,
 * the stage moves it goes through and the deployments made of it.
 */
record DemoModel(String name, String framework, String fileName, String dataset, List<String> tags,
                 Map<String, Object> baseConfig, List<Version> versions) {

    record Version(String version, int day, String note, Map<String, Double> metrics, List<Move> moves,
                   List<Deploy> deployments) {
    }

    record Move(int day, ModelStage to, String reason) {
    }

    /** A deployment made on {@code day}, optionally rolled back on {@code rollbackDay} (0 = never). */
    record Deploy(int day, String environment, int port, int rollbackDay) {
    }

    Map<String, Object> config(int versionIndex) {
        Map<String, Object> config = new LinkedHashMap<>(baseConfig);
        config.put("seed", 42 + versionIndex);
        config.put("training_run", versionIndex + 1);
        return config;
    }

    private static Move staging(int day) {
        return new Move(day, ModelStage.STAGING, "Offline evaluation passed");
    }

    private static Move production(int day) {
        return new Move(day, ModelStage.PRODUCTION, "Approved after shadow traffic comparison");
    }

    private static Deploy deploy(int day, String environment, int port) {
        return new Deploy(day, environment, port, 0);
    }

    static final List<DemoModel> ALL = List.of(
            new DemoModel("fraud_detector", "pytorch", "model.pt", "transactions_2024q1",
                    List.of("fraud", "payments", "realtime"),
                    Map.of("learning_rate", 0.001, "epochs", 30, "batch_size", 512, "hidden_layers", List.of(256, 128)),
                    List.of(
                            new Version("v1.0.0", 2, "Baseline MLP on transaction features",
                                    metrics("accuracy", 0.91, "f1", 0.88, "loss", 0.24, "latency_ms", 38),
                                    List.of(staging(4), production(7)), List.of(deploy(8, "production", 8080))),
                            new Version("v1.1.0", 25, "Adds merchant risk embeddings",
                                    metrics("accuracy", 0.935, "f1", 0.91, "loss", 0.19, "latency_ms", 41),
                                    List.of(staging(27), production(30)),
                                    List.of(new Deploy(31, "production", 8080, 33))),
                            new Version("v2.0.0", 60, "Transformer encoder over transaction sequences",
                                    metrics("accuracy", 0.96, "f1", 0.94, "loss", 0.12, "latency_ms", 35),
                                    List.of(staging(62), production(66)),
                                    List.of(deploy(63, "staging", 8081), deploy(67, "production", 8080))),
                            new Version("v2.1.0", 84, "Retrained on the latest quarter",
                                    metrics("accuracy", 0.958, "f1", 0.945, "loss", 0.118, "latency_ms", 33),
                                    List.of(), List.of(deploy(85, "development", 8090))))),
            new DemoModel("churn_predictor", "sklearn", "model.pkl", "crm_snapshot_2024",
                    List.of("churn", "marketing"),
                    Map.of("estimator", "GradientBoostingClassifier", "n_estimators", 300, "max_depth", 4),
                    List.of(
                            new Version("v1.0.0", 5, "Gradient boosting on 40 CRM features",
                                    metrics("auc", 0.82, "accuracy", 0.79, "precision", 0.75, "recall", 0.71),
                                    List.of(staging(6), production(10)), List.of(deploy(11, "production", 8082))),
                            new Version("v1.1.0", 40, "Adds support-ticket sentiment",
                                    metrics("auc", 0.85, "accuracy", 0.81, "precision", 0.78, "recall", 0.74),
                                    List.of(staging(42), production(50)), List.of(deploy(51, "production", 8082))),
                            new Version("v1.2.0", 78, "Calibrated probabilities",
                                    metrics("auc", 0.845, "accuracy", 0.805, "precision", 0.79, "recall", 0.73),
                                    List.of(staging(80)), List.of(deploy(81, "staging", 8083))))),
            new DemoModel("credit_scoring", "xgboost", "model.json", "loan_book_2019_2024",
                    List.of("credit", "risk", "regulated"),
                    Map.of("eta", 0.05, "max_depth", 6, "num_boost_round", 800, "objective", "binary:logistic"),
                    List.of(
                            new Version("v1.0.0", 8, "Scorecard replacement, challenger model",
                                    metrics("auc", 0.88, "ks", 0.52, "gini", 0.76, "logloss", 0.36),
                                    List.of(staging(9), production(15)), List.of(deploy(16, "production", 8084))),
                            new Version("v1.1.0", 35, "Monotonic constraints on income and tenure",
                                    metrics("auc", 0.89, "ks", 0.55, "gini", 0.78, "logloss", 0.34),
                                    List.of(staging(37), production(44)), List.of(deploy(45, "production", 8084))),
                            new Version("v1.2.0", 70, "Bureau data refresh; awaiting model risk sign-off",
                                    metrics("auc", 0.901, "ks", 0.57, "gini", 0.80, "logloss", 0.32),
                                    List.of(staging(72)), List.of(deploy(73, "staging", 8085))))),
            new DemoModel("image_classifier", "tensorflow", "saved_model.zip", "product_photos_v3",
                    List.of("vision", "catalog"),
                    Map.of("backbone", "efficientnet_b2", "image_size", 260, "epochs", 40, "optimizer", "adamw"),
                    List.of(
                            new Version("v1.0.0", 3, "ResNet-50 fine-tuned on catalog photos",
                                    metrics("top1_accuracy", 0.76, "top5_accuracy", 0.93, "loss", 0.95, "latency_ms", 120),
                                    List.of(staging(5), production(12)), List.of(deploy(13, "production", 8086))),
                            new Version("v2.0.0", 48, "EfficientNet-B2 backbone",
                                    metrics("top1_accuracy", 0.81, "top5_accuracy", 0.95, "loss", 0.78, "latency_ms", 95),
                                    List.of(staging(50), production(55)), List.of(deploy(56, "production", 8086))),
                            new Version("v2.1.0", 75, "Quantised for CPU serving",
                                    metrics("top1_accuracy", 0.805, "top5_accuracy", 0.951, "loss", 0.77, "latency_ms", 60),
                                    List.of(), List.of(deploy(76, "development", 8091))))),
            new DemoModel("recommendation_ranker", "lightgbm", "model.txt", "clickstream_90d",
                    List.of("recsys", "ranking"),
                    Map.of("objective", "lambdarank", "num_leaves", 63, "learning_rate", 0.05),
                    List.of(
                            new Version("v0.9.0", 10, "First LambdaMART ranker",
                                    metrics("ndcg_at_10", 0.41, "map", 0.33, "latency_ms", 12),
                                    List.of(staging(12), new Move(38, ModelStage.ARCHIVED, "Superseded by v1.0.0")), List.of()),
                            new Version("v1.0.0", 30, "Adds session features",
                                    metrics("ndcg_at_10", 0.45, "map", 0.36, "latency_ms", 11),
                                    List.of(staging(31), production(38)), List.of(deploy(39, "production", 8087))),
                            new Version("v1.1.0", 65, "Price-sensitivity features",
                                    metrics("ndcg_at_10", 0.47, "map", 0.37, "latency_ms", 14),
                                    List.of(staging(66)), List.of(deploy(67, "staging", 8088))))),
            new DemoModel("sentiment_analyzer", "transformers", "pytorch_model.bin", "support_tickets_labelled",
                    List.of("nlp", "support"),
                    Map.of("base_model", "distilbert-base-uncased", "max_length", 256, "epochs", 4),
                    List.of(
                            new Version("v1.0.0", 15, "DistilBERT fine-tuned on support tickets",
                                    metrics("accuracy", 0.89, "f1", 0.88, "latency_ms", 85),
                                    List.of(staging(17), production(21)), List.of(deploy(22, "production", 8089))),
                            new Version("v1.1.0", 52, "Relabelled sarcasm cases",
                                    metrics("accuracy", 0.905, "f1", 0.9, "latency_ms", 90),
                                    List.of(staging(54), new Move(60, ModelStage.ARCHIVED, "Bias review found a gap on non-native English"),
                                            new Move(70, ModelStage.STAGING, "Restored: bias review passed after relabelling")),
                                    List.of()),
                            new Version("v1.2.0", 85, "Distilled to 4 layers",
                                    metrics("accuracy", 0.91, "f1", 0.905, "latency_ms", 70),
                                    List.of(), List.of()))),
            new DemoModel("demand_forecaster", "prophet", "model.json", "sales_daily_2021_2024",
                    List.of("forecasting", "supply-chain"),
                    Map.of("seasonality_mode", "multiplicative", "changepoint_prior_scale", 0.05, "horizon_days", 28),
                    List.of(
                            new Version("v1.0.0", 20, "Weekly and yearly seasonality per region",
                                    metrics("mape", 8.2, "rmse", 120.5, "mae", 88.1),
                                    List.of(staging(22), production(26)), List.of(deploy(27, "production", 8092))),
                            new Version("v1.1.0", 68, "Holiday calendar and promotions as regressors",
                                    metrics("mape", 7.4, "rmse", 110.2, "mae", 80.6),
                                    List.of(staging(70), production(77)), List.of(deploy(78, "production", 8092))))));
}
