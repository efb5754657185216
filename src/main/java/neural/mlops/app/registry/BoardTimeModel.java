package neural.mlops.app.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.StageTimeline;

/**
 * The stage board's time control: the board now (a null time, live and editable) or as it was at
 * a chosen time, each version in the stage its stage history gave it then and the versions not yet
 * registered left out. The range runs from the first stage move of the versions shown to the last.
 */
public final class BoardTimeModel {

    private final ObservableList<ModelVersion> versions;
    private final ObjectProperty<Instant> at = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<Instant> earliest = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Instant> latest = new ReadOnlyObjectWrapper<>();
    private final BooleanBinding inThePast;

    public BoardTimeModel(ObservableList<ModelVersion> versions) {
        this.versions = versions;
        inThePast = at.isNotNull();
        versions.addListener((ListChangeListener<ModelVersion>) change -> range());
        range();
    }

    /** The time the board shows; null for now. Times outside the range are kept as given. */
    public ObjectProperty<Instant> atProperty() {
        return at;
    }

    /** True while the board shows the past: then it cannot be changed by dragging. */
    public BooleanBinding inThePastProperty() {
        return inThePast;
    }

    public ReadOnlyObjectProperty<Instant> earliestProperty() {
        return earliest.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Instant> latestProperty() {
        return latest.getReadOnlyProperty();
    }

    /** Back to the board as it is now. */
    public void showNow() {
        at.set(null);
    }

    /** The stage {@code version} had at the time shown; empty when it was not registered yet. */
    public Optional<ModelStage> stageOf(ModelVersion version) {
        Instant time = at.get();
        return time == null ? Optional.of(version.stage()) : StageTimeline.stageAt(version, time);
    }

    /** The versions shown at that time. */
    public List<ModelVersion> shown() {
        return versions.stream().filter(version -> stageOf(version).isPresent()).toList();
    }

    private void range() {
        Instant first = null;
        Instant last = null;
        for (ModelVersion version : versions) {
            for (var transition : version.stageHistory()) {
                first = first == null || transition.at().isBefore(first) ? transition.at() : first;
                last = last == null || transition.at().isAfter(last) ? transition.at() : last;
            }
            first = first == null || version.createdAt().isBefore(first) ? version.createdAt() : first;
            last = last == null || version.createdAt().isAfter(last) ? version.createdAt() : last;
        }
        earliest.set(first);
        latest.set(last);
    }
}
