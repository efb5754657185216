package neural.mlops.app.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.workspace.Workspace;

/** A small real workspace for registry view tests: fraud_detector v1.0.0 in production, v2.0.0 in staging, churn v1.0.0. */
final class RegistryFixture {

    private RegistryFixture() {
    }

    static Workspace create(Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("ws"));
        Workspace workspace = Workspace.open(folder, "tester");
        Path model = Files.writeString(dir.resolve("model.pt"), "weights");
        workspace.registry().registerModel(RegisterRequest.builder("fraud_detector", "v1.0.0", model)
                .framework("pytorch").createdBy("alice").metric("accuracy", 0.9).metric("loss", 0.3)
                .tags("fraud").build());
        workspace.registry().registerModel(RegisterRequest.builder("fraud_detector", "v2.0.0", model)
                .framework("pytorch").createdBy("alice").metric("accuracy", 0.95).metric("loss", 0.2)
                .tags("fraud", "production-ready").description("Transformer encoder").build());
        workspace.registry().registerModel(RegisterRequest.builder("churn_predictor", "v1.0.0", model)
                .framework("sklearn").createdBy("bob").metric("auc", 0.8).tags("churn").build());
        workspace.registry().promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "first release");
        workspace.registry().promoteModel("fraud_detector", "v2.0.0", ModelStage.STAGING, "candidate");
        return workspace;
    }
}
